#include "modules/parties/service.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <algorithm>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/dto.hpp"
#include "modules/parties/protocol.hpp"

namespace wp::parties {

namespace json = boost::json;

namespace {

[[noreturn]] void refuse(ErrorCode code, const std::string& ws_code, const std::string& message) {
  throw PartyError(code, ws_code, message);
}

void refuse_if_ended(const PartyRow& p, ErrorCode code = ErrorCode::conflict) {
  if (p.status == PartyStatus::ended) refuse(code, "party_ended", "The party has ended.");
}

}  // namespace

PartiesService::PartiesService(Store& store, LiveRooms& rooms, realtime::Hub& hub, RateLimiter& limiter,
                               VideoCheck may_play)
    : store_(store), rooms_(rooms), hub_(hub), limiter_(limiter), may_play_(std::move(may_play)) {}

std::string PartiesService::new_room_code() {
  static constexpr char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (;;) {
    std::string code;
    for (int i = 0; i < 8; ++i) code.push_back(alphabet[randombytes_uniform(sizeof alphabet - 1)]);
    if (!store_.room_code_taken(code)) return code;
  }
}

// ---- who may do what ----

GroupStanding PartiesService::group_standing(const std::optional<std::string>& group_id, const std::string& user_id) {
  if (!group_id || !group_check_) return {};
  return group_check_(*group_id, user_id);
}

PartyRow PartiesService::visible_party(const Principal& user, const std::string& id) {
  auto p = store_.party(id);
  if (!p) throw_not_found("Party not found.");
  if (!open_to(*p, user.id) && !user.staff()) {
    auto m = store_.participant(id, user.id);
    if (!(m && !m->is_banned) && !store_.is_invited(id, user.id)) throw_not_found("Party not found.");
  }
  return *p;
}

bool PartiesService::host_friend(const PartyRow& party, const std::string& user_id) {
  return party.visibility == Visibility::friends && relations_ && relations_->are_friends(party.host_id, user_id);
}

bool PartiesService::open_to(const PartyRow& party, const std::string& user_id) {
  // A group's members see its parties; a private group's parties are closed to everyone else.
  auto group = group_standing(party.group_id, user_id);
  if (group.member) return true;
  if (group.is_private) return false;
  if (party.visibility == Visibility::friends) return host_friend(party, user_id);
  return party.visibility != Visibility::private_;
}

ParticipantRow PartiesService::member(const PartyRow& party, const std::string& user_id) {
  auto m = store_.participant(party.id, user_id);
  if (!m || !m->is_active) throw_forbidden("You are not a participant of this party.");
  return *m;
}

void PartiesService::require_host(const Principal& user, const PartyRow& party, const std::string& what) {
  if (user.staff()) return;
  // host_id alone is not enough: a host who left an empty party is still named there until someone joins.
  auto m = store_.participant(party.id, user.id);
  if (!m || !m->is_active || m->role != Role::host) throw_forbidden("Only the host may " + what + " the party.");
}

void PartiesService::require_moderator(const Principal& user, const PartyRow& party) {
  if (user.staff()) return;
  auto m = store_.participant(party.id, user.id);
  if (!m || !m->is_active || !is_moderator_role(m->role)) throw_forbidden("Only the host or a moderator may do that.");
}

// ---- lifecycle ----

PartyRow PartiesService::create(const Principal& user, const CreateInput& in) {
  // A party plays a video this user may watch (their own, or a public one).
  if (in.video_id && !(may_play_ && may_play_(*in.video_id, user)))
    throw_validation("video_id", "No such video, or not one you may play.");
  if (in.group_id) {
    auto group = group_standing(in.group_id, user.id);
    if (!group.exists) throw_validation("group_id", "No such group.");
    if (!group.may_host && !user.staff())
      throw_forbidden(group.member ? "You may not host parties in this group."
                                   : "Only active members of the group may host its parties.");
  }
  auto limits = limits_of(plans_, user.id);
  int max_participants = in.max_participants.value_or(std::min(50, limits.max_party_size));
  if (max_participants > limits.max_party_size) refuse_party_size(limits);
  auto now = now_ms();
  PartyRow p;
  p.id = new_uuid();
  p.host_id = user.id;
  p.host_username = user.username;
  p.video_id = in.video_id;
  p.media_url = in.media_url.value_or("");
  p.title = in.title;
  p.description = in.description;
  p.visibility = in.visibility;
  p.max_participants = max_participants;
  p.scheduled_start = in.scheduled_start;
  p.status = in.scheduled_start && *in.scheduled_start > now ? PartyStatus::scheduled : PartyStatus::live;
  if (p.status == PartyStatus::live) p.actual_start = now;
  p.settings = merge_settings("{}", in.settings.value_or(json::object{}));
  Playback pb;
  pb.video_id = in.video_id.value_or("");
  p.playback = json::serialize(protocol::playback_json(pb));
  p.room_code = new_room_code();
  p.created_at = p.updated_at = now;
  p.participant_count = 1;
  p.group_id = in.group_id;
  ParticipantRow host{new_uuid(), p.id, user.id, user.username, Role::host, true, false, false, now};
  store_.create_party(p, host);
  publish_event(events_, {.type = "party.created", .user_id = user.id, .party_id = p.id});
  return p;
}

void PartiesService::refuse_party_size(const PlanLimits& host_limits) {
  throw_plan_limit(host_limits, "max_party_size",
                   "The host's plan (" + host_limits.plan + ") allows parties of up to " +
                       std::to_string(host_limits.max_party_size) + " members.");
}

PartyRow PartiesService::get(const Principal& user, const std::string& id) { return visible_party(user, id); }

std::vector<PartyRow> PartiesService::list(const Principal& user, const PartyFilter& f, int limit, int offset,
                                           long long& count) {
  count = store_.count_parties(f, user.id);
  return store_.parties(f, user.id, limit, offset);
}

std::vector<PartyRow> PartiesService::list_public(int limit, int offset, long long& count) {
  PartyFilter f;
  f.public_only = true;
  count = store_.count_parties(f, "");
  return store_.parties(f, "", limit, offset);
}

std::vector<PartyRow> PartiesService::live_of_friends_and_groups(const Principal& user, int limit) {
  PartyFilter f;
  f.status = PartyStatus::live;
  f.of_friends_or_groups = true;
  return store_.parties(f, user.id, limit, 0);
}

std::vector<PartyRow> PartiesService::group_parties(const Principal& user, const std::string& group_id, int limit,
                                                    int offset, long long& count) {
  auto group = group_standing(group_id, user.id);
  if (!group.exists) throw_not_found("Group not found.");
  if (group.is_private && !group.member && !user.staff())
    throw_forbidden("Only members see the parties of a private group.");
  PartyFilter f;
  f.group_id = group_id;
  count = store_.count_parties(f, user.id);
  return store_.parties(f, user.id, limit, offset);
}

PartyRow PartiesService::update(const Principal& user, const std::string& id, const PatchInput& in) {
  auto p = visible_party(user, id);
  auto m = member(p, user.id);
  if (!is_moderator_role(m.role)) throw_forbidden("Only the host or a moderator may change the party.");
  refuse_if_ended(p);
  if (in.title) p.title = *in.title;
  if (in.description) p.description = *in.description;
  if (in.visibility) p.visibility = *in.visibility;
  if (in.max_participants) {
    if (*in.max_participants < p.participant_count)
      throw_validation("max_participants", "Lower than the number of current participants.");
    // Raising it beyond the host's plan is refused; a party made before a downgrade keeps its size.
    auto limits = limits_of(plans_, p.host_id);
    if (*in.max_participants > std::max(limits.max_party_size, p.max_participants)) refuse_party_size(limits);
    p.max_participants = *in.max_participants;
  }
  if (in.settings) p.settings = merge_settings(p.settings, *in.settings);
  p.updated_at = now_ms();
  store_.update_party(p);
  return announce_change(id);
}

PartyRow PartiesService::announce_change(const std::string& id) {
  rooms_.reload_everywhere(id);
  auto fresh = *store_.party(id);
  hub_.broadcast(id, realtime::make_message(protocol::party_updated(fresh)));
  return fresh;
}

void PartiesService::remove(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  require_host(user, p, "delete");
  for (auto& deleted : on_deleted_) deleted(id);  // before its rows go
  store_.delete_party(id);
  hub_.close_room(id, realtime::close_code::forbidden, "The party was deleted.");
  rooms_.drop(id);
}

PartyRow PartiesService::start(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  require_host(user, p, "start");
  refuse_if_ended(p);
  if (p.status == PartyStatus::scheduled) {
    p.status = PartyStatus::live;
    p.actual_start = now_ms();
    p.updated_at = now_ms();
    store_.update_party(p);
  }
  return announce_change(id);
}

PartyRow PartiesService::end(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  require_host(user, p, "end");
  if (p.status != PartyStatus::ended) {
    p.status = PartyStatus::ended;
    p.ended_at = p.updated_at = now_ms();
    store_.update_party(p);
    if (auto room = rooms_.find(id)) {
      rooms_.set_status(id, PartyStatus::ended);
      rooms_.update_playback(room, user.id, [](const Room&, Playback& pb) { return pb.pause_at(now_ms_precise()); });
    }
    for (auto& ended : on_ended_) ended(id);
  }
  return announce_change(id);
}

Playback PartiesService::sync_state(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  member(p, user.id);
  return rooms_.playback(id);
}

}  // namespace wp::parties
