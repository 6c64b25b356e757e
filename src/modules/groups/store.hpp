#pragma once
// Every read and write of the groups tables (the SQL text is in sql.hpp).
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/groups/model.hpp"

namespace wp::groups {

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // The group and its first admin, in one transaction (member_count 1).
  void create_group(const GroupRow& group, const MembershipRow& admin);
  std::optional<GroupRow> group(const std::string& id);
  // Whether another group (not except_id) has this lower-cased name.
  bool name_taken(const std::string& name_key, const std::string& except_id);
  // Groups visible to viewer_id (public ones, private ones they are in or invited to) under the filter.
  std::vector<GroupRow> groups(const GroupFilter& f, const std::string& viewer_id, int limit, int offset);
  long long count_groups(const GroupFilter& f, const std::string& viewer_id);
  // Name, description, category, privacy and settings (not the count: memberships own it).
  void update_group(const GroupRow& group);
  void set_avatar(const std::string& id, const std::string& avatar, std::int64_t now);
  void delete_group(const std::string& id);

  std::optional<MembershipRow> membership(const std::string& group_id, const std::string& user_id);
  std::vector<MembershipRow> members(const std::string& group_id, MemberStatus status, int limit, int offset);
  long long count_members(const std::string& group_id, MemberStatus status);
  // Active admins and moderators.
  std::vector<MembershipRow> admins_and_moderators(const std::string& group_id);
  std::vector<InvitationRow> invitations(const std::string& user_id, int limit, int offset);
  long long count_invitations(const std::string& user_id);
  bool user_exists(const std::string& user_id);

  // Locks the group, reads the user's row, asks `decide` what to do and does
  // it, moving member_count by the change in active members: all in one
  // transaction (a wp::Error from decide rolls it back). Returns the row as
  // it is afterwards (nullopt when there is none). 404 when the group is gone.
  std::optional<MembershipRow> change_membership(const std::string& group_id, const std::string& user_id,
                                                 std::int64_t now, const DecideChange& decide);
  void set_permissions(const std::string& group_id, const std::string& user_id, const std::string& permissions_json,
                       std::int64_t now);

 private:
  db::Database& db_;
};

}  // namespace wp::groups
