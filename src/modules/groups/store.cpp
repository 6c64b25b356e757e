#include "modules/groups/store.hpp"

#include <soci/soci.h>

#include "core/ids.hpp"
#include "core/validators.hpp"
#include "db/columns.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/groups/sql.hpp"

namespace wp::groups {

using soci::into;
using soci::use;

namespace {

// The WHERE of the group list, its parameters added to p.
std::string list_where(const GroupFilter& f, const std::string& viewer, db::NamedParams& p) {
  std::string where = sql::kVisibleGroups;
  p.add("viewer", viewer);
  if (f.mine) {
    where += sql::kViewerIsMember;
    p.add("viewer2", viewer);
  }
  if (f.search) {
    where += sql::kWithNameLike;
    p.add("search", db::like_pattern(*f.search));
  }
  if (f.category) {
    where += sql::kWithCategory;
    p.add("category", validators::lower(*f.category));
  }
  return where;
}

std::optional<MembershipRow> membership_in(soci::session& s, const std::string& group_id, const std::string& user_id) {
  return db::select_one(s, sql::kMembership, sql::kMembershipOf, db::uses(group_id, user_id));
}

// Locks the group row (see sql::kLockGroup) and reads what a change needs.
LockedGroup lock_group(soci::session& s, db::Dialect dialect, const std::string& group_id) {
  LockedGroup g;
  g.id = group_id;
  int is_private = 0;
  std::string lock = sql::kLockGroup;
  if (dialect == db::Dialect::postgresql) lock += sql::kForUpdate;
  s << lock, into(is_private), use(group_id);
  if (!s.got_data()) throw_not_found("Group not found.");
  g.is_private = is_private != 0;
  g.active_admins = db::fetch_count(s, sql::kCountActiveAdmins, db::uses(group_id));
  return g;
}

// Writes the row `change` asks for over `current`.
void put_row(soci::session& s, const std::string& group_id, const std::string& user_id,
             const std::optional<MembershipRow>& current, const MembershipChange& change, long long t) {
  std::string role(to_string(change.role)), status(to_string(change.status));
  if (!current) {
    std::string id = new_uuid();
    s << sql::kInsertMembership, use(id), use(group_id), use(user_id), use(role), use(status),
        use(change.invited_by), use(t), use(t);
    return;
  }
  bool same = current->role == change.role && current->status == change.status;
  long long since = current->status == change.status ? current->created_at : t;
  std::string permissions = same ? current->permissions : "{}";
  s << sql::kUpdateMembership, use(role), use(status), use(permissions), use(change.invited_by), use(since), use(t),
      use(group_id), use(user_id);
}

}  // namespace

// ---------------------------------------------------------------- groups

void Store::create_group(const GroupRow& g, const MembershipRow& admin) {
  long long created = g.created_at, updated = g.updated_at;
  int is_private = g.is_private;
  std::string key = validators::lower(g.name), role(to_string(admin.role)), status(to_string(admin.status));
  std::optional<std::string> none;
  db_.tx([&](soci::session& s) {
    s << sql::kInsertGroup, use(g.id), use(g.name), use(key), use(g.description), use(g.category), use(is_private),
        use(g.settings), use(g.creator_id), use(created), use(updated);
    s << sql::kInsertMembership, use(admin.id), use(g.id), use(admin.user_id), use(role), use(status), use(none),
        use(created), use(created);
  });
}

std::optional<GroupRow> Store::group(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kGroup, sql::kGroupById, db::uses(id)); });
}

bool Store::name_taken(const std::string& name_key, const std::string& except_id) {
  return db_.with(
      [&](soci::session& s) { return db::fetch_count(s, sql::kCountNameKey, db::uses(name_key, except_id)) > 0; });
}

std::vector<GroupRow> Store::groups(const GroupFilter& f, const std::string& viewer_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = list_where(f, viewer_id, p);
    return db::select_rows(s, sql::kGroup, sql::kGroupFrom + where + sql::kGroupPage, [&](soci::statement& st) {
      p.bind(st);
      st.exchange(use(limit, "lim"));
      st.exchange(use(offset, "off"));
    });
  });
}

long long Store::count_groups(const GroupFilter& f, const std::string& viewer_id) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = list_where(f, viewer_id, p);
    return db::fetch_count(s, sql::kCountGroups + where, [&](soci::statement& st) { p.bind(st); });
  });
}

void Store::update_group(const GroupRow& g) {
  long long updated = g.updated_at;
  int is_private = g.is_private;
  std::string key = validators::lower(g.name);
  db_.with([&](soci::session& s) {
    s << sql::kUpdateGroup, use(g.name), use(key), use(g.description), use(g.category), use(is_private),
        use(g.settings), use(updated), use(g.id);
  });
}

void Store::set_avatar(const std::string& id, const std::string& avatar, std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kSetAvatar, use(avatar), use(t), use(id); });
}

void Store::delete_group(const std::string& id) {
  db_.with([&](soci::session& s) { s << sql::kDeleteGroup, use(id); });
}

// ---------------------------------------------------------------- memberships

std::optional<MembershipRow> Store::membership(const std::string& group_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) { return membership_in(s, group_id, user_id); });
}

std::vector<MembershipRow> Store::members(const std::string& group_id, MemberStatus status, int limit, int offset) {
  std::string st(to_string(status));
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kMembership, sql::kMembersByStatus, db::uses(group_id, st, limit, offset));
  });
}

long long Store::count_members(const std::string& group_id, MemberStatus status) {
  std::string st(to_string(status));
  return db_.with(
      [&](soci::session& s) { return db::fetch_count(s, sql::kCountMembersByStatus, db::uses(group_id, st)); });
}

std::vector<MembershipRow> Store::admins_and_moderators(const std::string& group_id) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kMembership, sql::kActiveStaffOfGroup, db::uses(group_id));
  });
}

std::vector<InvitationRow> Store::invitations(const std::string& user_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kInvitation, sql::kInvitationsOf, db::uses(user_id, limit, offset));
  });
}

long long Store::count_invitations(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kCountInvitationsOf, db::uses(user_id)); });
}

bool Store::user_exists(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kCountUser, db::uses(user_id)) > 0; });
}

std::optional<MembershipRow> Store::change_membership(const std::string& group_id, const std::string& user_id,
                                                      std::int64_t now, const DecideChange& decide) {
  long long t = now;
  return db_.tx([&](soci::session& s) -> std::optional<MembershipRow> {
    auto locked = lock_group(s, db_.dialect(), group_id);
    auto current = membership_in(s, group_id, user_id);
    auto change = decide(locked, current);
    bool was_active = current && current->active();
    bool is_active = false;
    switch (change.kind) {
      case MembershipChange::Kind::keep: return current;
      case MembershipChange::Kind::remove:
        if (current) s << sql::kDeleteMembership, use(group_id), use(user_id);
        break;
      case MembershipChange::Kind::put:
        put_row(s, group_id, user_id, current, change, t);
        is_active = change.status == MemberStatus::active;
        break;
    }
    int delta = static_cast<int>(is_active) - static_cast<int>(was_active);
    if (delta != 0) s << sql::kMoveMemberCount, use(delta), use(group_id);
    return membership_in(s, group_id, user_id);
  });
}

void Store::set_permissions(const std::string& group_id, const std::string& user_id,
                            const std::string& permissions_json, std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) {
    s << sql::kSetPermissions, use(permissions_json), use(t), use(group_id), use(user_id);
  });
}

}  // namespace wp::groups
