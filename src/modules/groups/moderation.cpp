// GroupsService: kick, ban, unban, promote, demote, and a member's permissions.
// Admins (and staff) act on anyone but another admin's removal; holders of
// `kick` act on members ranked below them. No change may leave a group
// without an active admin.
#include "core/clock.hpp"
#include "modules/groups/policy.hpp"
#include "modules/groups/service.hpp"

namespace wp::groups {

namespace {

using Change = MembershipChange;

bool is_last_admin(const LockedGroup& g, const MembershipRow& m) {
  return m.active() && m.role == GroupRole::admin && g.active_admins <= 1;
}

[[noreturn]] void would_leave_no_admin() {
  throw_conflict("This is the group's last admin: make another member admin first, or delete the group.");
}

// The next role up or down, or nullopt when there is none.
std::optional<GroupRole> step(GroupRole r, bool up) {
  if (up) {
    if (r == GroupRole::member) return GroupRole::moderator;
    if (r == GroupRole::moderator) return GroupRole::admin;
    return std::nullopt;
  }
  if (r == GroupRole::admin) return GroupRole::moderator;
  if (r == GroupRole::moderator) return GroupRole::member;
  return std::nullopt;
}

// What one moderation action does to the target's row, under the group lock.
// actor_rank: the acting member's rank, or above every role for staff.
Change decide(ModerationAction action, int actor_rank, const LockedGroup& g, const std::optional<MembershipRow>& t) {
  bool active = t && t->active();
  switch (action) {
    case ModerationAction::kick:
    case ModerationAction::ban:
      if (action == ModerationAction::kick && (!t || t->status == MemberStatus::banned))
        throw_not_found("This user is not a member of this group.");
      if (active && rank(t->role) >= actor_rank) throw_forbidden("You may not remove a member of your rank or above.");
      if (t && is_last_admin(g, *t)) would_leave_no_admin();
      return action == ModerationAction::kick ? Change::remove() : Change::put(GroupRole::member, MemberStatus::banned);
    case ModerationAction::unban:
      if (!t || t->status != MemberStatus::banned) throw_not_found("This user is not banned from this group.");
      return Change::remove();
    case ModerationAction::promote:
    case ModerationAction::demote: break;
  }
  if (!active) throw_not_found("This user is not a member of this group.");
  bool up = action == ModerationAction::promote;
  auto next = step(t->role, up);
  if (!next) throw_conflict(up ? "This member is already an admin." : "This member is already a plain member.");
  if (!up && is_last_admin(g, *t)) would_leave_no_admin();
  return Change::put(*next, MemberStatus::active, t->invited_by);
}

}  // namespace

std::optional<MembershipRow> GroupsService::moderate(const Principal& user, const std::string& id,
                                                     const std::string& target, ModerationAction action) {
  auto g = existing(id);
  bool ranks = action == ModerationAction::promote || action == ModerationAction::demote;
  std::optional<MembershipRow> me;
  if (ranks)
    require_admin(user, g);
  else
    me = require(user, g, Permission::kick);
  if (target == user.id && !ranks) throw_forbidden("Use leave/ to leave the group.");
  if (!store_.user_exists(target)) throw_not_found("User not found.");
  // Staff rank above every role; promote and demote need no rank beyond admin.
  int actor_rank = me ? rank(me->role) : user.staff() ? rank(GroupRole::admin) + 1 : rank(GroupRole::admin);
  return store_.change_membership(id, target, now_ms(), [&](const LockedGroup& locked, const auto& current) {
    return decide(action, actor_rank, locked, current);
  });
}

MembershipRow GroupsService::set_permissions(const Principal& user, const std::string& id, const std::string& target,
                                             const boost::json::object& patch) {
  auto g = existing(id);
  require_admin(user, g);
  auto m = store_.membership(id, target);
  if (!m || !m->active()) throw_not_found("This user is not a member of this group.");
  if (m->role == GroupRole::admin) throw_conflict("An admin holds every permission; demote them first.");
  store_.set_permissions(id, target, merge_permissions(m->permissions, patch), now_ms());
  return *store_.membership(id, target);
}

}  // namespace wp::groups
