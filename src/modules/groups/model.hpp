#pragma once
// The groups domain: rows of its tables, the vocabulary, the settings and
// permissions, and the inputs of its rules.
#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/enum_names.hpp"
#include "core/error.hpp"

namespace wp::groups {

// The vocabulary; each has one string table (bottom of this file).
enum class GroupRole { admin, moderator, member };
enum class MemberStatus { active, pending, invited, banned };
// What a membership may do beyond being a member: the fixed set of keys of
// its `permissions` object (docs/api.md "Groups").
enum class Permission { invite, approve, kick, host_parties };
// What an admin or moderator does to a membership (one route each).
enum class ModerationAction { kick, ban, unban, promote, demote };
inline constexpr std::array<Permission, 4> kAllPermissions{Permission::invite, Permission::approve, Permission::kick,
                                                           Permission::host_parties};

struct GroupRow {
  std::string id;
  std::string name;
  std::string description;
  std::string category;
  bool is_private = false;
  std::string settings = "{}";
  std::string avatar;  // file name under <data_dir>/group_avatars, or empty
  std::optional<std::string> creator_id;
  std::int64_t member_count = 0;
  std::int64_t created_at = 0, updated_at = 0;
};

struct MembershipRow {
  std::string id;
  std::string group_id;
  std::string user_id;
  std::string username;  // read only (joined)
  GroupRole role = GroupRole::member;
  MemberStatus status = MemberStatus::active;
  std::string permissions = "{}";
  std::optional<std::string> invited_by;
  std::int64_t created_at = 0, updated_at = 0;
  bool active() const { return status == MemberStatus::active; }
};

// A pending invitation of the current user.
struct InvitationRow {
  std::string group_id;
  std::string group_name;
  bool group_is_private = false;
  std::optional<std::string> inviter_id, inviter_username;  // null once the inviter's account is gone
  std::int64_t created_at = 0;
};

// A group's settings: every key has a default; stored as JSON.
struct Settings {
  bool members_can_invite = true;        // plain members hold `invite` unless their permissions say otherwise
  bool members_can_host_parties = true;  // plain members hold `host_parties` unless their permissions say otherwise
  std::string welcome_message;           // shown to members (at most 500 characters)
};

// A membership's permissions as stored: a key absent follows the role.
struct PermissionOverrides {
  std::optional<bool> invite, approve, kick, host_parties;
  std::optional<bool>& at(Permission p);
  const std::optional<bool>& at(Permission p) const;
};

struct GroupFilter {
  std::optional<std::string> search;    // in the name, case-insensitive
  std::optional<std::string> category;  // exact, case-insensitive
  bool mine = false;                    // only groups the viewer is an active member of
};

struct CreateInput {
  std::string name, description, category;
  bool is_private = false;
  std::optional<boost::json::object> settings;  // checked (policy.hpp); laid over the defaults
};

struct PatchInput {
  std::optional<std::string> name, description, category;
  std::optional<bool> is_private;
  std::optional<boost::json::object> settings;  // checked (policy.hpp); laid over the current settings
};

// The group as a membership change sees it, read under the group's lock.
struct LockedGroup {
  std::string id;
  bool is_private = false;
  long long active_admins = 0;
};

// What a membership change does to the (group, user) row; the service
// decides it under the group's lock, the store applies it and moves
// member_count by the change in active members, in the same transaction.
struct MembershipChange {
  enum class Kind { keep, put, remove };
  Kind kind = Kind::keep;
  GroupRole role = GroupRole::member;
  MemberStatus status = MemberStatus::active;
  std::optional<std::string> invited_by;
  static MembershipChange keep() { return {}; }
  static MembershipChange remove() { return {Kind::remove}; }
  static MembershipChange put(GroupRole r, MemberStatus s, std::optional<std::string> by = std::nullopt) {
    return {Kind::put, r, s, std::move(by)};
  }
};
using DecideChange =
    std::function<MembershipChange(const LockedGroup& group, const std::optional<MembershipRow>& current)>;

// A group as one user sees it: the row and their own membership, if any.
struct GroupView {
  GroupRow group;
  std::optional<MembershipRow> mine;
};

// What the parties module asks about a group a party names (wired in app.cpp).
struct Standing {
  bool exists = false;
  bool is_private = false;
  bool member = false;        // an active member
  bool may_host = false;      // holds host_parties
};

inline int rank(GroupRole r) { return r == GroupRole::admin ? 3 : r == GroupRole::moderator ? 2 : 1; }

}  // namespace wp::groups

WP_ENUM_NAMES(wp::groups::GroupRole, {wp::groups::GroupRole::admin, "admin"},
              {wp::groups::GroupRole::moderator, "moderator"}, {wp::groups::GroupRole::member, "member"});
WP_ENUM_NAMES(wp::groups::MemberStatus, {wp::groups::MemberStatus::active, "active"},
              {wp::groups::MemberStatus::pending, "pending"}, {wp::groups::MemberStatus::invited, "invited"},
              {wp::groups::MemberStatus::banned, "banned"});
WP_ENUM_NAMES(wp::groups::ModerationAction, {wp::groups::ModerationAction::kick, "kick"},
              {wp::groups::ModerationAction::ban, "ban"}, {wp::groups::ModerationAction::unban, "unban"},
              {wp::groups::ModerationAction::promote, "promote"}, {wp::groups::ModerationAction::demote, "demote"});
WP_ENUM_NAMES(wp::groups::Permission, {wp::groups::Permission::invite, "invite"},
              {wp::groups::Permission::approve, "approve"}, {wp::groups::Permission::kick, "kick"},
              {wp::groups::Permission::host_parties, "host_parties"});
