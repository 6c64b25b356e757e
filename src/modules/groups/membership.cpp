// GroupsService: joining, join requests and their approval, invitations,
// leaving (never the last admin), and the member lists.
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "modules/groups/dto.hpp"
#include "modules/groups/policy.hpp"
#include "modules/groups/service.hpp"

namespace wp::groups {

namespace {

using Change = MembershipChange;

[[noreturn]] void last_admin() {
  throw_conflict(
      "You are the last admin of this group: make another member admin first (promote/), or delete the group.");
}

}  // namespace

MembershipRow GroupsService::join(const Principal& user, const std::string& id) {
  auto g = existing(id);
  bool asked = false;
  bool was_active = false;
  auto row = store_.change_membership(id, user.id, now_ms(), [&](const LockedGroup& locked, const auto& current) {
    was_active = current && current->status == MemberStatus::active;
    if (!current) {
      asked = locked.is_private;
      return Change::put(GroupRole::member, asked ? MemberStatus::pending : MemberStatus::active);
    }
    switch (current->status) {
      case MemberStatus::banned: throw_forbidden("You are banned from this group.");
      case MemberStatus::invited: return Change::put(GroupRole::member, MemberStatus::active, current->invited_by);
      // The group was made public since they asked: in they come.
      case MemberStatus::pending:
        if (!locked.is_private) return Change::put(GroupRole::member, MemberStatus::active);
        break;
      case MemberStatus::active: break;
    }
    return Change::keep();
  });
  if (asked) announce_request(g, user);
  if (!was_active && row->status == MemberStatus::active)
    publish_event(events_, {.type = "group.joined", .user_id = user.id});
  return *row;
}

void GroupsService::announce_request(const GroupRow& group, const Principal& user) {
  auto data = boost::json::serialize(group_request_event(group, user.id, user.username));
  for (auto& m : store_.admins_and_moderators(group.id)) channel_.publish(m.user_id, "group_request", data);
}

void GroupsService::leave(const Principal& user, const std::string& id) {
  existing(id);
  store_.change_membership(id, user.id, now_ms(), [](const LockedGroup& locked, const auto& current) {
    if (!current || current->status == MemberStatus::banned) throw_not_found("You are not a member of this group.");
    if (current->active() && current->role == GroupRole::admin && locked.active_admins <= 1) last_admin();
    return Change::remove();
  });
}

MembershipRow GroupsService::invite(const Principal& user, const std::string& id, const std::string& invitee_id) {
  auto g = existing(id);
  require(user, g, Permission::invite);
  if (invitee_id == user.id) throw_validation("user_id", "You cannot invite yourself.");
  if (!store_.user_exists(invitee_id)) throw_validation("user_id", "No such user.");
  if (relations_.blocked_between(user.id, invitee_id)) throw_forbidden("You cannot invite this user.");
  auto row = store_.change_membership(id, invitee_id, now_ms(), [&](const LockedGroup&, const auto& current) {
    if (current) {
      switch (current->status) {
        case MemberStatus::active: throw_conflict("This user is already a member.");
        case MemberStatus::banned: throw_conflict("This user is banned from the group.");
        case MemberStatus::pending: throw_conflict("This user asked to join: approve their request instead.");
        case MemberStatus::invited: break;
      }
    }
    return Change::put(GroupRole::member, MemberStatus::invited, user.id);
  });
  channel_.publish(invitee_id, "group_invite", boost::json::serialize(group_invite_event(g, user.id, user.username)));
  boost::json::object data{{"actor_id", user.id}, {"actor_username", user.username}, {"group_id", g.id},
                           {"group_name", g.name}};
  notify_quietly(notifier_, {invitee_id, "group_invitation", boost::json::serialize(data), "", user.id});
  return *row;
}

MembershipRow GroupsService::accept_invitation(const Principal& user, const std::string& id) {
  existing(id);
  auto row = store_.change_membership(id, user.id, now_ms(), [](const LockedGroup&, const auto& current) {
    if (!current || current->status != MemberStatus::invited) throw_not_found("No pending invitation to this group.");
    return Change::put(GroupRole::member, MemberStatus::active, current->invited_by);
  });
  return *row;
}

void GroupsService::decline_invitation(const Principal& user, const std::string& id) {
  existing(id);
  store_.change_membership(id, user.id, now_ms(), [](const LockedGroup&, const auto& current) {
    if (!current || current->status != MemberStatus::invited) throw_not_found("No pending invitation to this group.");
    return Change::remove();
  });
}

std::vector<InvitationRow> GroupsService::invitations(const Principal& user, int limit, int offset,
                                                      long long& count) {
  count = store_.count_invitations(user.id);
  return store_.invitations(user.id, limit, offset);
}

std::vector<MembershipRow> GroupsService::members(const Principal& user, const std::string& id, int limit, int offset,
                                                  long long& count) {
  auto g = existing(id);
  if (g.is_private && !user.staff()) {
    auto me = store_.membership(id, user.id);
    if (!me || !me->active()) throw_forbidden("Only members see the members of a private group.");
  }
  count = store_.count_members(id, MemberStatus::active);
  return store_.members(id, MemberStatus::active, limit, offset);
}

std::vector<MembershipRow> GroupsService::requests(const Principal& user, const std::string& id, int limit,
                                                   int offset, long long& count) {
  auto g = existing(id);
  require(user, g, Permission::approve);
  count = store_.count_members(id, MemberStatus::pending);
  return store_.members(id, MemberStatus::pending, limit, offset);
}

MembershipRow GroupsService::approve(const Principal& user, const std::string& id, const std::string& target) {
  auto g = existing(id);
  require(user, g, Permission::approve);
  auto row = store_.change_membership(id, target, now_ms(), [](const LockedGroup&, const auto& current) {
    if (!current || current->status != MemberStatus::pending) throw_not_found("No pending request from this user.");
    return Change::put(GroupRole::member, MemberStatus::active);
  });
  publish_event(events_, {.type = "group.joined", .user_id = target});
  return *row;
}

void GroupsService::reject(const Principal& user, const std::string& id, const std::string& target) {
  auto g = existing(id);
  require(user, g, Permission::approve);
  store_.change_membership(id, target, now_ms(), [](const LockedGroup&, const auto& current) {
    if (!current || current->status != MemberStatus::pending) throw_not_found("No pending request from this user.");
    return Change::remove();
  });
}

}  // namespace wp::groups
