#include "modules/parties/dto.hpp"

#include "core/clock.hpp"

namespace wp::parties {

namespace json = boost::json;

namespace {
json::value time_or_null(const std::optional<std::int64_t>& t) {
  return t ? json::value(to_rfc3339(*t)) : json::value(nullptr);
}
}  // namespace

json::object user_ref(const std::string& id, const std::string& username) { return {{"id", id}, {"username", username}}; }

json::object party_json(const PartyRow& p) {
  return {{"id", p.id},
          {"room_code", p.room_code},
          {"title", p.title},
          {"description", p.description},
          {"host", user_ref(p.host_id, p.host_username)},
          {"video", p.video_id ? json::value(json::object{{"id", *p.video_id}}) : json::value(nullptr)},
          {"media_url", p.media_url},
          {"status", p.status},
          {"visibility", p.visibility},
          {"max_participants", p.max_participants},
          {"scheduled_start", time_or_null(p.scheduled_start)},
          {"actual_start", time_or_null(p.actual_start)},
          {"ended_at", time_or_null(p.ended_at)},
          {"settings", parse_settings(p.settings).to_json()},
          {"participant_count", p.participant_count},
          {"created_at", to_rfc3339(p.created_at)},
          {"updated_at", to_rfc3339(p.updated_at)}};
}

json::object participant_json(const ParticipantRow& p, bool online) {
  return {{"user", user_ref(p.user_id, p.username)},
          {"role", p.role},
          {"joined_at", to_rfc3339(p.joined_at)},
          {"is_muted", p.is_muted},
          {"status", p.is_pending() ? "pending" : "active"},
          {"online", online}};
}

json::object message_json(const MessageRow& m) {
  return {{"id", m.id},
          {"user", user_ref(m.user_id, m.username)},
          {"content", m.content},
          {"message_type", m.message_type},
          {"sent_at", to_rfc3339(m.sent_at)}};
}

json::array messages_json(const std::vector<MessageRow>& rows) {
  json::array out;
  for (auto& m : rows) out.push_back(message_json(m));
  return out;
}

json::object reaction_json(const ReactionRow& r) {
  return {{"id", r.id},
          {"user", user_ref(r.user_id, r.username)},
          {"emoji", r.emoji},
          {"video_timestamp", r.video_timestamp},
          {"created_at", to_rfc3339(r.created_at)}};
}

json::object invitation_json(const InvitationRow& i) {
  return {{"id", i.id},
          {"party", json::object{{"id", i.party_id}, {"title", i.party_title}}},
          {"inviter", user_ref(i.inviter_id, i.inviter_username)},
          {"status", i.status},
          {"created_at", to_rfc3339(i.created_at)}};
}

}  // namespace wp::parties
