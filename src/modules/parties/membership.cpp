// PartiesService: joining (directly, by code, by socket), join requests and
// their approval, leaving with host handover.
#include <algorithm>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "modules/parties/dto.hpp"
#include "modules/parties/protocol.hpp"
#include "modules/parties/service.hpp"

namespace wp::parties {

bool PartiesService::admit(const Principal& user, const PartyRow& party) {
  if (party.status == PartyStatus::ended) throw PartyError(ErrorCode::forbidden, "party_ended", "The party has ended.");
  // The invitation is read only for a party closed to them: most joins are into open ones.
  if (!open_to(party, user.id) && user.id != party.host_id && !store_.is_invited(party.id, user.id)) {
    auto m = store_.participant(party.id, user.id);
    if (!m)
      throw_forbidden(party.visibility == Visibility::friends ? "This party is for the host's friends."
                                                              : "This party is private: you need an invitation.");
  }
  // The party's own host, and users the host or a moderator invited, come in without asking.
  bool needs_approval = parse_settings(party.settings).require_approval && user.id != party.host_id &&
                        !store_.invitation_admits(party.id, user.id);
  auto host_limits = limits_of(plans_, party.host_id);
  auto joined = store_.join(party.id, user.id, now_ms(), needs_approval, host_limits.max_party_size);
  switch (joined.outcome) {
    case JoinOutcome::banned: throw_forbidden("You are banned from this party.");
    case JoinOutcome::full: throw_conflict("The party is full.");
    case JoinOutcome::plan_full: refuse_party_size(host_limits);
    case JoinOutcome::already_member: return true;
    case JoinOutcome::requested: announce_request(party, user); return false;
    case JoinOutcome::already_requested: return false;
    case JoinOutcome::declined: throw_forbidden("The host declined your request.");
    case JoinOutcome::joined: break;
  }
  publish_event(events_, {.type = "party.joined", .user_id = user.id, .party_id = party.id});
  if (joined.role == Role::host)
    // They took over a party nobody was hosting: every node reloads it.
    rooms_.reload_everywhere(party.id);
  else
    rooms_.set_member(party.id, user.id, Room::Member{user.username, joined.role});
  return true;
}

// Tells the host and moderators online (on any node) that someone asks to join.
void PartiesService::announce_request(const PartyRow& party, const Principal& user) {
  std::vector<std::string> moderators;
  auto blocked = store_.blocked_with(user.id);  // those never hear of them (nor see the request over REST)
  for (auto& m : store_.active_participants(party.id))
    if (is_moderator_role(m.role) && std::find(blocked.begin(), blocked.end(), m.user_id) == blocked.end())
      moderators.push_back(m.user_id);
  if (moderators.empty()) return;
  hub_.send_to_users(party.id, moderators,
                     realtime::make_message(protocol::join_request(user.id, user.username, now_ms())));
  // Requests for one party fold into one notification per moderator ("3 people ask to join").
  boost::json::object data{{"actor_id", user.id}, {"actor_username", user.username}, {"party_id", party.id},
                           {"party_title", party.title}};
  auto text = boost::json::serialize(data);
  for (auto& m : moderators) notify_quietly(notifier_, {m, "party_join_request", text, "party:" + party.id, user.id});
}

Joined PartiesService::joined(const Principal& user, const PartyRow& party) {
  if (admit(user, party)) return {*store_.party(party.id), std::nullopt};
  return {party, store_.participant(party.id, user.id)};
}

Joined PartiesService::join(const Principal& user, const std::string& id) { return joined(user, visible_party(user, id)); }

Joined PartiesService::join_by_code(const Principal& user, const std::string& code) {
  std::string upper = code;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  auto p = store_.party_by_code(upper);
  if (!p) throw_not_found("No party with this code.");
  return joined(user, *p);
}

std::shared_ptr<Room> PartiesService::connect(const Principal& user, const std::string& id,
                                              std::shared_ptr<realtime::Connection> conn,
                                              const std::optional<std::string>& last_message_id) {
  auto party = store_.party(id);
  if (!party) throw_not_found("Party not found.");
  auto existing = store_.participant(id, user.id);
  if (existing && existing->is_banned) throw_forbidden("You are banned from this party.");
  // Members too (4003): an ended party takes no control or chat, so a socket has nothing to do there.
  if (party->status == PartyStatus::ended) throw PartyError(ErrorCode::forbidden, "party_ended", "The party has ended.");
  if ((!existing || !existing->is_active) && !admit(user, *party))
    throw_forbidden("Your request to join awaits the host's approval.");
  return rooms_.attach(id, {user, std::move(conn), last_message_id});
}

void PartiesService::leave(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  // Leaving before approval withdraws the request.
  if (store_.withdraw(id, user.id)) return;
  member(p, user.id);
  rooms_.record_watch(p.video_id, id, user.id, rooms_.playback(id).expected_position(now_ms_precise()), false);
  auto new_host = store_.leave(id, user.id, now_ms());
  publish_event(events_, {.type = "party.left", .user_id = user.id, .party_id = id});
  rooms_.remove_member(id, user.id, new_host);
  rooms_.changed_elsewhere(id);
  // Not 1001: clients reconnect after that, and reconnecting would join again.
  hub_.close_user(id, user.id, realtime::close_code::forbidden, "You left the party.");
  if (new_host) {
    auto m = store_.participant(id, *new_host);
    rooms_.send_about(id, m->user_id,
                      realtime::make_message(protocol::participant_updated(m->user_id, m->username, m->role, m->is_muted)));
  }
}

std::vector<ParticipantRow> PartiesService::participants(const Principal& user, const std::string& id,
                                                         ParticipantStatus status) {
  auto p = visible_party(user, id);
  if (status == ParticipantStatus::pending)
    require_moderator(user, p);
  else if (!user.staff())
    member(p, user.id);
  // Users blocked with the viewer, either way, are left out.
  return store_.participants_seen_by(id, status, user.id);
}

ParticipantRow PartiesService::approve(const Principal& user, const std::string& id, const std::string& target) {
  auto p = visible_party(user, id);
  require_moderator(user, p);
  if (p.status == PartyStatus::ended) throw PartyError(ErrorCode::conflict, "party_ended", "The party has ended.");
  auto host_limits = limits_of(plans_, p.host_id);
  switch (store_.approve(id, target, now_ms(), host_limits.max_party_size)) {
    case ApproveOutcome::not_requested: throw_not_found("No pending join request from this user.");
    case ApproveOutcome::full: throw_conflict("The party is full.");
    case ApproveOutcome::plan_full: refuse_party_size(host_limits);
    case ApproveOutcome::approved: break;
  }
  publish_event(events_, {.type = "party.joined", .user_id = target, .party_id = id});
  rooms_.reload_everywhere(id);
  return *store_.participant(id, target);
}

void PartiesService::reject(const Principal& user, const std::string& id, const std::string& target) {
  auto p = visible_party(user, id);
  require_moderator(user, p);
  if (!store_.reject(id, target)) throw_not_found("No pending join request from this user.");
}

JoinRequestState PartiesService::join_request(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  auto m = store_.participant(id, user.id);
  if (!m || m->is_banned) return {p, JoinRequestStatus::none, std::nullopt};
  if (m->is_active) return {p, JoinRequestStatus::active, std::nullopt};
  switch (m->join_request) {
    case JoinRequest::none: break;
    case JoinRequest::pending: return {p, JoinRequestStatus::pending, m->joined_at};
    case JoinRequest::rejected: return {p, JoinRequestStatus::rejected, m->joined_at};
  }
  return {p, JoinRequestStatus::none, std::nullopt};
}

bool PartiesService::party_member_may_view(const std::string& user_id, const std::string& video_id) {
  return store_.member_of_party_playing(user_id, video_id);
}

std::vector<PartiesService::Starting> PartiesService::starting_between(std::int64_t after, std::int64_t until) {
  std::vector<Starting> out;
  for (auto& p : store_.starting_between(after, until)) out.push_back({p, store_.start_audience(p.id)});
  return out;
}

bool PartiesService::is_party_member(const std::string& user_id, const std::string& party_id) {
  auto m = store_.participant(party_id, user_id);
  // Not someone whose request is pending or was rejected (they never watched with the party).
  return m && !m->is_banned && m->join_request == JoinRequest::none;
}

}  // namespace wp::parties
