// PartiesService: roles, mutes, kicks and bans; invitations.
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/protocol.hpp"
#include "modules/parties/service.hpp"

namespace wp::parties {

ParticipantRow PartiesService::moderate(const Principal& user, const std::string& id, const std::string& target,
                                        ModerationAction action) {
  auto p = visible_party(user, id);
  auto me = member(p, user.id);
  auto them = store_.participant(id, target);
  using enum ModerationAction;
  if (!them || (!them->is_active && action != ban)) throw_not_found("Participant not found.");
  if (target == user.id) throw_forbidden("You cannot do that to yourself.");
  if (them->role == Role::host) throw_forbidden("The host cannot be moderated.");
  bool host_only = action == promote || action == demote;
  if (host_only ? me.role != Role::host : !is_moderator_role(me.role))
    throw_forbidden(host_only ? "Only the host may change roles." : "Only the host or a moderator may do that.");
  if (me.role == Role::moderator && them->role == Role::moderator) throw_forbidden("Moderators cannot moderate each other.");
  apply_moderation(id, *them, action);
  rooms_.changed_elsewhere(id);
  if (!them->is_active) {
    hub_.close_user(id, target, realtime::close_code::forbidden, action == ban ? "You were banned." : "You were removed.");
  } else {
    rooms_.send_about(id, target, realtime::make_message(
                                      protocol::participant_updated(target, them->username, them->role, them->is_muted)));
  }
  return *them;
}

// Writes the action and applies it to the live room here.
void PartiesService::apply_moderation(const std::string& id, ParticipantRow& them, ModerationAction action) {
  using enum ModerationAction;
  const auto& target = them.user_id;
  if (action == promote || action == demote) {
    them.role = action == promote ? Role::moderator : Role::participant;
    if (!store_.set_role(id, target, them.role)) throw_forbidden("The host cannot be moderated.");
  } else if (action == mute || action == unmute) {
    them.is_muted = action == mute;
    store_.set_muted(id, target, them.is_muted);
  } else {
    if (!store_.remove_participant(id, target, action == ban, now_ms())) throw_forbidden("The host cannot be moderated.");
    them.is_active = false;
    them.is_banned = action == ban;
  }
  if (!them.is_active)
    rooms_.remove_member(id, target, std::nullopt);
  else
    rooms_.update_member(id, target, them.role, them.is_muted);
}

int PartiesService::invite(const Principal& user, const std::string& id, const std::vector<std::string>& user_ids) {
  auto p = visible_party(user, id);
  auto me = member(p, user.id);
  if (p.status == PartyStatus::ended) throw PartyError(ErrorCode::conflict, "party_ended", "The party has ended.");
  auto unknown = store_.unknown_users(user_ids);
  // A blocked pair cannot invite each other: to the inviter such a user does not exist.
  if (relations_)
    for (auto& uid : user_ids)
      if (uid != user.id && relations_->blocked_between(user.id, uid)) unknown.push_back(uid);
  if (!unknown.empty()) {
    std::string list;
    for (auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    throw_validation("user_ids", "No such user: " + list + ".");
  }
  int n = 0;
  for (auto& uid : user_ids) {
    if (uid == user.id) continue;
    auto existing = store_.participant(id, uid);
    if (existing && existing->is_active) continue;
    store_.invite({new_uuid(), id, "", user.id, "", uid, InvitationStatus::pending, now_ms(), is_moderator_role(me.role)});
    ++n;
    boost::json::object data{{"actor_id", user.id}, {"actor_username", user.username}, {"party_id", id},
                             {"party_title", p.title}};
    notify_quietly(notifier_, {uid, "party_invitation", boost::json::serialize(data), "", user.id});
  }
  return n;
}

std::vector<InvitationRow> PartiesService::invitations(const Principal& user, int limit, int offset,
                                                       long long& count) {
  count = store_.count_pending_invitations(user.id);
  return store_.pending_invitations(user.id, limit, offset);
}

PartyRow PartiesService::respond_invitation(const Principal& user, const std::string& invitation_id, bool accept) {
  auto inv = store_.invitation(invitation_id);
  if (!inv || inv->invitee_id != user.id) throw_not_found("Invitation not found.");
  if (inv->status != InvitationStatus::pending) throw_conflict("The invitation was already answered.");
  auto party = store_.party(inv->party_id);
  if (!party) throw_not_found("Party not found.");
  // Blocking withdraws pending invitations; one that raced the block is refused as withdrawn.
  if (relations_ && relations_->blocked_between(inv->inviter_id, user.id)) throw_not_found("Invitation not found.");
  if (accept) admit(user, *party);
  store_.set_invitation_status(invitation_id, accept ? InvitationStatus::accepted : InvitationStatus::declined, now_ms());
  return *store_.party(inv->party_id);
}

void PartiesService::blocks_changed(const std::string& a, const std::string& b, bool blocked) {
  if (blocked) store_.withdraw_invitations_between(a, b);
  rooms_.blocks_changed(a, b, blocked);
}

}  // namespace wp::parties
