#include "modules/parties/dto.hpp"

#include "core/clock.hpp"
#include "core/json_input.hpp"
#include "http/json.hpp"

namespace wp::parties {

namespace json = boost::json;

namespace {
using http::time_or_null;
}  // namespace

json::object settings_json(const Settings& s) {
  return {{"control", to_string(s.control)},
          {"chat_enabled", s.chat_enabled},
          {"slow_mode_seconds", s.slow_mode_seconds},
          {"reactions_enabled", s.reactions_enabled},
          {"wait_for_buffering", s.wait_for_buffering},
          {"require_approval", s.require_approval},
          {"voice_chat", to_string(s.voice_chat)}};
}

Settings parse_settings(const std::string& text) {
  Settings s;
  auto o = stored_object(text);
  if (auto v = o.if_contains("control"); v && v->is_string())
    s.control = parse_enum<ControlMode>(std::string_view(v->as_string())).value_or(ControlMode::host_only);
  if (auto v = o.if_contains("chat_enabled"); v && v->is_bool()) s.chat_enabled = v->as_bool();
  if (auto v = o.if_contains("slow_mode_seconds"); v && v->is_int64()) s.slow_mode_seconds = static_cast<int>(v->as_int64());
  if (auto v = o.if_contains("reactions_enabled"); v && v->is_bool()) s.reactions_enabled = v->as_bool();
  if (auto v = o.if_contains("wait_for_buffering"); v && v->is_bool()) s.wait_for_buffering = v->as_bool();
  if (auto v = o.if_contains("require_approval"); v && v->is_bool()) s.require_approval = v->as_bool();
  if (auto v = o.if_contains("voice_chat"); v && v->is_string())
    s.voice_chat = parse_enum<VoiceOpener>(std::string_view(v->as_string())).value_or(VoiceOpener::members);
  return s;
}

std::string merge_settings(const std::string& current, const json::object& patch) {
  auto merged = settings_json(parse_settings(current));
  for (auto& [k, v] : patch) merged[k] = v;
  return json::serialize(merged);
}

json::object user_ref(const std::string& id, const std::string& username) { return {{"id", id}, {"username", username}}; }

json::object party_json(const PartyRow& p) {
  return {{"id", p.id},
          {"room_code", p.room_code},
          {"title", p.title},
          {"description", p.description},
          {"host", user_ref(p.host_id, p.host_username)},
          {"video", p.video_id ? json::value(json::object{{"id", *p.video_id}}) : json::value(nullptr)},
          {"media_url", p.media_url},
          {"status", to_string(p.status)},
          {"visibility", to_string(p.visibility)},
          {"max_participants", p.max_participants},
          {"scheduled_start", time_or_null(p.scheduled_start)},
          {"actual_start", time_or_null(p.actual_start)},
          {"ended_at", time_or_null(p.ended_at)},
          {"settings", settings_json(parse_settings(p.settings))},
          {"participant_count", p.participant_count},
          {"group_id", p.group_id ? json::value(*p.group_id) : json::value(nullptr)},
          {"created_at", to_rfc3339(p.created_at)},
          {"updated_at", to_rfc3339(p.updated_at)}};
}

json::object participant_json(const ParticipantRow& p, bool online) {
  return {{"user", user_ref(p.user_id, p.username)},
          {"role", to_string(p.role)},
          {"joined_at", to_rfc3339(p.joined_at)},
          {"is_muted", p.is_muted},
          {"status", to_string(p.status())},
          {"online", online}};
}

void append_participant_text(std::string& out, const ParticipantRow& p, bool online) {
  auto quoted = [&](std::string_view text) { out += json::serialize(json::string_view(text)); };
  out += R"({"user":{"id":)";
  quoted(p.user_id);
  out += R"(,"username":)";
  quoted(p.username);
  out += R"(},"role":")";
  out += to_string(p.role);
  out += R"(","joined_at":")";
  out += to_rfc3339(p.joined_at);
  out += R"(","is_muted":)";
  out += p.is_muted ? "true" : "false";
  out += R"(,"status":")";
  out += to_string(p.status());
  out += R"(","online":)";
  out += online ? "true}" : "false}";
}

static json::array badges_json(const std::vector<BadgeView>& badges) {
  json::array out;
  for (auto& b : badges) out.push_back(json::object{{"item_id", b.item_id}, {"name", b.name}, {"image", b.image}});
  return out;
}

json::object message_json(const MessageRow& m) {
  return {{"id", m.id},
          {"user", user_ref(m.user_id, m.username)},
          {"content", m.content},
          {"message_type", m.message_type},
          {"sent_at", to_rfc3339(m.sent_at)},
          {"badges", badges_json(m.badges)}};
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
          {"status", to_string(i.status)},
          {"created_at", to_rfc3339(i.created_at)}};
}

}  // namespace wp::parties
