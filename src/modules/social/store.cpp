#include "modules/social/store.hpp"

#include <soci/soci.h>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/social/sql.hpp"

namespace wp::social {

using soci::use;

namespace {

using db::changed;

std::optional<FriendshipRow> pair_row(soci::session& s, const std::string& l, const std::string& h, bool lock) {
  std::string rest = sql::kFriendshipOfPair;
  if (lock) rest += sql::kForUpdate;
  return db::select_one(s, sql::kFriendship, rest, db::uses(l, h));
}

// The FROM text of a list and how many times it names the user.
struct ListSql {
  const char* from;
  int user_params;
  const char* order;
};

ListSql list_sql(LinkList list) {
  switch (list) {
    case LinkList::incoming: return {sql::kIncomingFrom, 3, sql::kNewestFirst};
    case LinkList::outgoing: return {sql::kOutgoingFrom, 2, sql::kNewestFirst};
    case LinkList::blocks: return {sql::kBlocksFrom, 1, sql::kNewestFirst};
    case LinkList::friends: break;
  }
  return {sql::kFriendsFrom, 2, sql::kByName};
}

// Binds the same value to the first n parameters.
auto repeated(const std::string& value, int n) {
  return [&value, n](soci::statement& st) {
    for (int i = 0; i < n; ++i) st.exchange(use(value));
  };
}

template <class Bind>
auto paged(Bind bind, const Window& w) {
  return [bind, &w](soci::statement& st) {
    bind(st);
    st.exchange(use(w.limit));
    st.exchange(use(w.offset));
  };
}

}  // namespace

std::optional<UserLink> Store::active_user(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kLink, sql::kActiveUser, db::uses(id)); });
}

// ---------------------------------------------------------------- friendships

std::optional<FriendshipRow> Store::friendship(const std::string& a, const std::string& b) {
  auto [l, h] = ordered_pair(a, b);
  return db_.with([&](soci::session& s) { return pair_row(s, l, h, false); });
}

RequestOutcome Store::request(const std::string& from, const std::string& to, std::int64_t now, FriendshipRow& row) {
  auto [l, h] = ordered_pair(from, to);
  long long t = now;
  bool pg = db_.dialect() == db::Dialect::postgresql;
  return db_.tx([&](soci::session& s) -> RequestOutcome {
    // A row deleted between the insert and the read (a cancel at that
    // instant) leaves room for the insert again: a few rounds at most.
    for (int round = 0; round < 3; ++round) {
      std::string id = new_uuid();
      bool inserted =
          changed((s.prepare << sql::kInsertRequest, use(id), use(l), use(h), use(from), use(t)));
      // On PostgreSQL, a conflicting insert waited for the other transaction:
      // its row is committed and this statement's snapshot sees it.
      auto existing = pair_row(s, l, h, pg);
      if (!existing) continue;
      row = *existing;
      if (inserted) return RequestOutcome::sent;
      if (row.status == FriendshipStatus::accepted) return RequestOutcome::already_friends;
      if (row.requester_id == from) return RequestOutcome::already_requested;
      s << sql::kAcceptRequestOf, use(t), use(l), use(h), use(row.requester_id);
      row.status = FriendshipStatus::accepted;
      row.accepted_at = now;
      return RequestOutcome::accepted_crossing;
    }
    throw Error(ErrorCode::unavailable, "The friendship changed meanwhile; try again.");
  });
}

bool Store::accept(const std::string& requester, const std::string& addressee, std::int64_t now) {
  auto [l, h] = ordered_pair(requester, addressee);
  long long t = now;
  return db_.with([&](soci::session& s) {
    return changed((s.prepare << sql::kAcceptRequestOf, use(t), use(l), use(h), use(requester)));
  });
}

bool Store::delete_request(const std::string& requester, const std::string& addressee) {
  auto [l, h] = ordered_pair(requester, addressee);
  return db_.with([&](soci::session& s) {
    return changed((s.prepare << sql::kDeleteRequestOf, use(l), use(h), use(requester)));
  });
}

bool Store::unfriend(const std::string& a, const std::string& b) {
  auto [l, h] = ordered_pair(a, b);
  return db_.with([&](soci::session& s) { return changed((s.prepare << sql::kDeleteFriendship, use(l), use(h))); });
}

std::vector<UserLink> Store::links(LinkList list, const std::string& user_id, const Window& w) {
  auto q = list_sql(list);
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kLink, std::string(q.from) + q.order, paged(repeated(user_id, q.user_params), w));
  });
}

long long Store::count_links(LinkList list, const std::string& user_id) {
  auto q = list_sql(list);
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, std::string(sql::kCount) + q.from, repeated(user_id, q.user_params));
  });
}

std::vector<std::string> Store::friend_ids(const std::string& user_id) {
  auto rows = db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kLink, std::string(sql::kFriendsFrom) + sql::kEveryone, repeated(user_id, 2));
  });
  std::vector<std::string> ids;
  for (auto& r : rows) ids.push_back(r.user_id);
  return ids;
}

std::vector<UserLink> Store::mutual_friends(const std::string& viewer, const std::string& other, const Window& w) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kLink, std::string(sql::kMutualFrom) + sql::kByName,
                           paged(db::uses(viewer, viewer, other, other, viewer, viewer), w));
  });
}

long long Store::count_mutual_friends(const std::string& viewer, const std::string& other) {
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, std::string(sql::kCount) + sql::kMutualFrom,
                           db::uses(viewer, viewer, other, other, viewer, viewer));
  });
}

std::vector<UserLink> Store::suggestions(const std::string& user_id, const Window& w) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kLink, std::string(sql::kSuggestionsFrom) + sql::kMostMutualFirst,
                           paged(repeated(user_id, 7), w));
  });
}

long long Store::count_suggestions(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, std::string(sql::kCount) + sql::kSuggestionsFrom, repeated(user_id, 7));
  });
}

// ---------------------------------------------------------------- follows

std::optional<FollowRow> Store::follow_of(const std::string& follower, const std::string& followed) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kFollow, sql::kFollowOf, db::uses(follower, followed)); });
}

void Store::insert_follow(const FollowRow& f) {
  std::string status(to_string(f.status));
  long long t = f.created_at;
  db_.with([&](soci::session& s) {
    s << sql::kInsertFollow, use(f.id), use(f.follower_id), use(f.followed_id), use(status), use(t);
  });
}

bool Store::delete_follow(const std::string& follower, const std::string& followed) {
  return db_.with(
      [&](soci::session& s) { return changed((s.prepare << sql::kDeleteFollow, use(follower), use(followed))); });
}

bool Store::approve_follow(const std::string& follower, const std::string& followed) {
  return db_.with(
      [&](soci::session& s) { return changed((s.prepare << sql::kApproveFollow, use(follower), use(followed))); });
}

bool Store::reject_follow(const std::string& follower, const std::string& followed) {
  return db_.with(
      [&](soci::session& s) { return changed((s.prepare << sql::kRejectFollow, use(follower), use(followed))); });
}

FollowCounts Store::follow_counts(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    return FollowCounts{db::fetch_count(s, sql::kCountFollowers, db::uses(user_id)),
                        db::fetch_count(s, sql::kCountFollowing, db::uses(user_id))};
  });
}

std::vector<UserLink> Store::follows(bool followers, const std::string& user_id, FollowStatus status,
                                     const std::string& viewer, const Window& w) {
  std::string st(to_string(status));
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kLink,
                           std::string(followers ? sql::kFollowersFrom : sql::kFollowingFrom) + sql::kNewestFirst,
                           paged(db::uses(user_id, st, viewer, viewer), w));
  });
}

long long Store::count_follows(bool followers, const std::string& user_id, FollowStatus status,
                               const std::string& viewer) {
  std::string st(to_string(status));
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, std::string(sql::kCount) + (followers ? sql::kFollowersFrom : sql::kFollowingFrom),
                           db::uses(user_id, st, viewer, viewer));
  });
}

// ---------------------------------------------------------------- blocks

bool Store::blocked_by(const std::string& blocker, const std::string& blocked) {
  return db_.with(
      [&](soci::session& s) { return db::fetch_count(s, sql::kCountBlockBy, db::uses(blocker, blocked)) > 0; });
}

bool Store::block(const std::string& blocker, const std::string& blocked, std::int64_t now) {
  auto [l, h] = ordered_pair(blocker, blocked);
  long long t = now;
  return db_.tx([&](soci::session& s) {
    std::string id = new_uuid();
    s << sql::kInsertBlock, use(id), use(blocker), use(blocked), use(t);
    auto pair = pair_row(s, l, h, db_.dialect() == db::Dialect::postgresql);
    s << sql::kDeletePair, use(l), use(h);
    s << sql::kDeleteFollowsBetween, use(blocker), use(blocked), use(blocked), use(blocker);
    return pair && pair->status == FriendshipStatus::accepted;
  });
}

bool Store::unblock(const std::string& blocker, const std::string& blocked) {
  return db_.with(
      [&](soci::session& s) { return changed((s.prepare << sql::kDeleteBlock, use(blocker), use(blocked))); });
}

}  // namespace wp::social
