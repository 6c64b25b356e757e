#pragma once
// Every SQL text of the groups store, and the column table of each row it
// reads. Only store.cpp includes this. A row query is the text after the
// SELECT list: db::select_rows puts the list first.
#include <cstdint>
#include <string>

#include "db/columns.hpp"
#include "modules/groups/model.hpp"

namespace wp::groups::sql {

// ---------------------------------------------------------------- row tables

inline const db::Columns<GroupRow> kGroup{
    {"g.id", &GroupRow::id},
    {"g.name", &GroupRow::name},
    {"g.description", &GroupRow::description},
    {"g.category", &GroupRow::category},
    {"g.is_private", &GroupRow::is_private},
    {"g.settings", &GroupRow::settings},
    {"g.avatar", &GroupRow::avatar},
    {"g.creator_id", &GroupRow::creator_id},
    {"g.member_count", &GroupRow::member_count},
    {"g.created_at", &GroupRow::created_at},
    {"g.updated_at", &GroupRow::updated_at},
};

inline const db::Columns<MembershipRow> kMembership{
    {"m.id", &MembershipRow::id},
    {"m.group_id", &MembershipRow::group_id},
    {"m.user_id", &MembershipRow::user_id},
    {"u.username", &MembershipRow::username},
    {"m.role", &MembershipRow::role},
    {"m.status", &MembershipRow::status},
    {"m.permissions", &MembershipRow::permissions},
    {"m.invited_by", &MembershipRow::invited_by},
    {"m.created_at", &MembershipRow::created_at},
    {"m.updated_at", &MembershipRow::updated_at},
};

inline const db::Columns<InvitationRow> kInvitation{
    {"m.group_id", &InvitationRow::group_id},
    {"g.name", &InvitationRow::group_name},
    {"g.is_private", &InvitationRow::group_is_private},
    {"m.invited_by", &InvitationRow::inviter_id},
    {"u.username", &InvitationRow::inviter_username},
    {"m.created_at", &InvitationRow::created_at},
};

// ---------------------------------------------------------------- groups

inline constexpr const char* kInsertGroup =
    "INSERT INTO social_groups (id, name, name_key, description, category, is_private, settings, avatar, creator_id, "
    "member_count, created_at, updated_at) VALUES (:id, :n, :nk, :d, :c, :p, :s, '', :cr, 1, :t, :u)";
inline constexpr const char* kGroupById = "FROM social_groups g WHERE g.id = :id";
inline constexpr const char* kCountNameKey = "SELECT COUNT(*) FROM social_groups WHERE name_key = :k AND id <> :id";
inline constexpr const char* kUpdateGroup =
    "UPDATE social_groups SET name = :n, name_key = :nk, description = :d, category = :c, is_private = :p, "
    "settings = :s, updated_at = :u WHERE id = :id";
inline constexpr const char* kSetAvatar = "UPDATE social_groups SET avatar = :a, updated_at = :u WHERE id = :id";
inline constexpr const char* kDeleteGroup = "DELETE FROM social_groups WHERE id = :id";

// The group list: kGroupFrom (kCountGroups) + kVisibleGroups + the filters
// that apply, then kGroupPage. Private groups are listed to their active
// members and to the users they invited.
inline constexpr const char* kGroupFrom = "FROM social_groups g";
inline constexpr const char* kCountGroups = "SELECT COUNT(*) FROM social_groups g";
inline constexpr const char* kVisibleGroups =
    " WHERE (g.is_private = FALSE OR EXISTS (SELECT 1 FROM group_memberships v WHERE v.group_id = g.id AND "
    "v.user_id = :viewer AND v.status IN ('active', 'invited')))";
inline constexpr const char* kViewerIsMember =
    " AND EXISTS (SELECT 1 FROM group_memberships mine WHERE mine.group_id = g.id AND mine.user_id = :viewer2 AND "
    "mine.status = 'active')";
inline constexpr const char* kWithNameLike = " AND LOWER(g.name) LIKE :search ESCAPE '\\'";
inline constexpr const char* kWithCategory = " AND LOWER(g.category) = :category";
inline constexpr const char* kGroupPage = " ORDER BY g.member_count DESC, g.name_key, g.id LIMIT :lim OFFSET :off";

// ---------------------------------------------------------------- memberships

inline constexpr const char* kMembershipOf =
    "FROM group_memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = :g AND m.user_id = :u";
// Admins first, then moderators, then members; the longest-standing first.
inline constexpr const char* kMembersByStatus =
    "FROM group_memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = :g AND m.status = :st ORDER BY "
    "CASE m.role WHEN 'admin' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, m.created_at, m.id LIMIT :lim OFFSET :off";
inline constexpr const char* kCountMembersByStatus =
    "SELECT COUNT(*) FROM group_memberships WHERE group_id = :g AND status = :st";
inline constexpr const char* kActiveStaffOfGroup =
    "FROM group_memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = :g AND m.status = 'active' AND "
    "m.role IN ('admin', 'moderator') ORDER BY m.created_at";
// My pending invitations, newest first.
inline constexpr const char* kInvitationsOf =
    "FROM group_memberships m JOIN social_groups g ON g.id = m.group_id LEFT JOIN users u ON u.id = m.invited_by "
    "WHERE m.user_id = :u AND m.status = 'invited' ORDER BY m.created_at DESC, m.id LIMIT :lim OFFSET :off";
inline constexpr const char* kCountInvitationsOf =
    "SELECT COUNT(*) FROM group_memberships WHERE user_id = :u AND status = 'invited'";
inline constexpr const char* kCountUser = "SELECT COUNT(*) FROM users WHERE id = :id";

// Membership changes run in one transaction that first reads the group row:
// on PostgreSQL with kForUpdate, which locks it; SQLite's BEGIN IMMEDIATE
// already serializes writers.
inline constexpr const char* kLockGroup = "SELECT is_private FROM social_groups WHERE id = :id";
inline constexpr const char* kForUpdate = " FOR UPDATE";
inline constexpr const char* kCountActiveAdmins =
    "SELECT COUNT(*) FROM group_memberships WHERE group_id = :g AND status = 'active' AND role = 'admin'";
inline constexpr const char* kInsertMembership =
    "INSERT INTO group_memberships (id, group_id, user_id, role, status, permissions, invited_by, created_at, "
    "updated_at) VALUES (:id, :g, :u, :r, :s, '{}', :b, :c, :t)";
// A new role or status starts over with the role's default permissions.
inline constexpr const char* kUpdateMembership =
    "UPDATE group_memberships SET role = :r, status = :s, permissions = :pm, invited_by = :b, created_at = :c, "
    "updated_at = :t WHERE group_id = :g AND user_id = :u";
inline constexpr const char* kDeleteMembership = "DELETE FROM group_memberships WHERE group_id = :g AND user_id = :u";
inline constexpr const char* kMoveMemberCount =
    "UPDATE social_groups SET member_count = member_count + :d WHERE id = :g";
inline constexpr const char* kSetPermissions =
    "UPDATE group_memberships SET permissions = :pm, updated_at = :t WHERE group_id = :g AND user_id = :u";

}  // namespace wp::groups::sql
