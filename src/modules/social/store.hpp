#pragma once
// Every read and write of the social tables (the SQL text is in sql.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/social/model.hpp"

namespace wp::social {

// A page of a user list: LIMIT and OFFSET.
struct Window {
  int limit = 20, offset = 0;
};

// Which user list (store.cpp maps each to its SQL).
enum class LinkList { friends, incoming, outgoing, blocks };

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // An active user, or nothing.
  std::optional<UserLink> active_user(const std::string& id);

  std::optional<FriendshipRow> friendship(const std::string& a, const std::string& b);
  // Records `from`'s request to `to`, or (when `to` had asked first) accepts
  // that one, in one transaction: the pair's unique index makes two
  // requests at the same instant meet on one row. `row` is the pair's row after.
  RequestOutcome request(const std::string& from, const std::string& to, std::int64_t now, FriendshipRow& row);
  // Accepts the pending request `requester` sent to the other of the pair; false when there is none.
  bool accept(const std::string& requester, const std::string& addressee, std::int64_t now);
  // Deletes the pending request `requester` sent to the other; false when there is none.
  bool delete_request(const std::string& requester, const std::string& addressee);
  // Ends the friendship of the pair; false when they were not friends.
  bool unfriend(const std::string& a, const std::string& b);

  // user_id's friends (or requests, or blocks): a page, and the count of all.
  std::vector<UserLink> links(LinkList list, const std::string& user_id, const Window& w);
  long long count_links(LinkList list, const std::string& user_id);
  std::vector<std::string> friend_ids(const std::string& user_id);
  std::vector<UserLink> mutual_friends(const std::string& viewer, const std::string& other, const Window& w);
  long long count_mutual_friends(const std::string& viewer, const std::string& other);
  std::vector<UserLink> suggestions(const std::string& user_id, const Window& w);
  long long count_suggestions(const std::string& user_id);

  std::optional<FollowRow> follow_of(const std::string& follower, const std::string& followed);
  // A second follow of the same pair is a unique violation: 409.
  void insert_follow(const FollowRow& f);
  bool delete_follow(const std::string& follower, const std::string& followed);
  bool approve_follow(const std::string& follower, const std::string& followed);
  bool reject_follow(const std::string& follower, const std::string& followed);
  FollowCounts follow_counts(const std::string& user_id);
  // followers (or following) of user_id with this status, none blocked with viewer.
  std::vector<UserLink> follows(bool followers, const std::string& user_id, FollowStatus status,
                                const std::string& viewer, const Window& w);
  long long count_follows(bool followers, const std::string& user_id, FollowStatus status, const std::string& viewer);

  bool blocked_by(const std::string& blocker, const std::string& blocked);
  // Records the block and removes the pair's friendship or request and
  // follows both ways, in one transaction. A second block of the same pair
  // is a unique violation: 409. Returns whether they were friends.
  bool block(const std::string& blocker, const std::string& blocked, std::int64_t now);
  bool unblock(const std::string& blocker, const std::string& blocked);

 private:
  db::Database& db_;
};

}  // namespace wp::social
