#pragma once
// Every SQL text of the social store, and the column tables of the rows it
// reads. Only store.cpp includes this. A row query is the text after the
// SELECT list (db::select_rows puts the list first).
//
// The user lists (friends, requests, followers, blocks, suggestions) share
// one shape: a sub-select x(uid, since, mutual) joined to users, so one
// column table (kLink) reads them all, and "SELECT COUNT(*) " + the same
// FROM text counts them.
#include "db/columns.hpp"
#include "modules/social/model.hpp"

namespace wp::social::sql {

inline const db::Columns<FriendshipRow> kFriendship{
    {"id", &FriendshipRow::id},
    {"user_low", &FriendshipRow::user_low},
    {"user_high", &FriendshipRow::user_high},
    {"requester_id", &FriendshipRow::requester_id},
    {"status", &FriendshipRow::status},
    {"created_at", &FriendshipRow::created_at},
    {"accepted_at", &FriendshipRow::accepted_at},
};

inline const db::Columns<FollowRow> kFollow{
    {"id", &FollowRow::id},
    {"follower_id", &FollowRow::follower_id},
    {"followed_id", &FollowRow::followed_id},
    {"status", &FollowRow::status},
    {"created_at", &FollowRow::created_at},
};

inline const db::Columns<UserLink> kLink{
    {"u.id", &UserLink::user_id},
    {"u.username", &UserLink::username},
    {"x.since", &UserLink::since},
    {"x.mutual", &UserLink::mutual_count},
};

inline constexpr const char* kCount = "SELECT COUNT(*) ";
inline constexpr const char* kByName = " ORDER BY u.username_key LIMIT :lim OFFSET :off";
inline constexpr const char* kNewestFirst = " ORDER BY x.since DESC, u.username_key LIMIT :lim OFFSET :off";
inline constexpr const char* kMostMutualFirst = " ORDER BY x.mutual DESC, u.username_key LIMIT :lim OFFSET :off";
inline constexpr const char* kEveryone = " ORDER BY u.username_key";

// ---------------------------------------------------------------- users

inline constexpr const char* kActiveUser =
    "FROM (SELECT id AS uid, 0 AS since, 0 AS mutual FROM users WHERE id = :id) x JOIN users u ON u.id = x.uid "
    "WHERE u.is_active = TRUE";

// ---------------------------------------------------------------- friendships

inline constexpr const char* kFriendshipOfPair = "FROM friendships WHERE user_low = :l AND user_high = :h";
inline constexpr const char* kForUpdate = " FOR UPDATE";
// The unique pair index decides between two requests at once: the loser inserts nothing.
inline constexpr const char* kInsertRequest =
    "INSERT INTO friendships (id, user_low, user_high, requester_id, status, created_at) VALUES (:id, :l, :h, :r, "
    "'pending', :t) ON CONFLICT (user_low, user_high) DO NOTHING";
inline constexpr const char* kAcceptRequestOf =
    "UPDATE friendships SET status = 'accepted', accepted_at = :t WHERE user_low = :l AND user_high = :h AND "
    "status = 'pending' AND requester_id = :r";
inline constexpr const char* kDeleteRequestOf =
    "DELETE FROM friendships WHERE user_low = :l AND user_high = :h AND status = 'pending' AND requester_id = :r";
inline constexpr const char* kDeleteFriendship =
    "DELETE FROM friendships WHERE user_low = :l AND user_high = :h AND status = 'accepted'";
inline constexpr const char* kDeletePair = "DELETE FROM friendships WHERE user_low = :l AND user_high = :h";

inline constexpr const char* kFriendsFrom =
    "FROM (SELECT user_high AS uid, COALESCE(accepted_at, created_at) AS since, 0 AS mutual FROM friendships WHERE "
    "user_low = :a AND status = 'accepted' UNION ALL SELECT user_low, COALESCE(accepted_at, created_at), 0 FROM "
    "friendships WHERE user_high = :b AND status = 'accepted') x JOIN users u ON u.id = x.uid WHERE "
    "u.is_active = TRUE";
inline constexpr const char* kIncomingFrom =
    "FROM (SELECT requester_id AS uid, created_at AS since, 0 AS mutual FROM friendships WHERE (user_low = :a OR "
    "user_high = :b) AND status = 'pending' AND requester_id <> :c) x JOIN users u ON u.id = x.uid WHERE "
    "u.is_active = TRUE";
inline constexpr const char* kOutgoingFrom =
    "FROM (SELECT CASE WHEN user_low = :a THEN user_high ELSE user_low END AS uid, created_at AS since, 0 AS mutual "
    "FROM friendships WHERE requester_id = :b AND status = 'pending') x JOIN users u ON u.id = x.uid WHERE "
    "u.is_active = TRUE";
// Friends of both :a and :c, none blocked with :a (the viewer) either way.
inline constexpr const char* kMutualFrom =
    "FROM (SELECT m.uid AS uid, 0 AS since, 0 AS mutual FROM (SELECT user_high AS uid FROM friendships WHERE "
    "user_low = :a AND status = 'accepted' UNION ALL SELECT user_low FROM friendships WHERE user_high = :b AND "
    "status = 'accepted') m WHERE m.uid IN (SELECT user_high FROM friendships WHERE user_low = :c AND status = "
    "'accepted' UNION ALL SELECT user_low FROM friendships WHERE user_high = :d AND status = 'accepted')) x "
    "JOIN users u ON u.id = x.uid WHERE u.is_active = TRUE AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE "
    "(b.blocker_id = :e AND b.blocked_id = u.id) OR (b.blocker_id = u.id AND b.blocked_id = :f))";
// Friends of my friends, by how many of my friends they are friends with;
// never me, never anyone I already have a friendship row with (friend or
// request), never anyone blocked with me either way.
inline constexpr const char* kSuggestionsFrom =
    "FROM (SELECT e.b AS uid, 0 AS since, COUNT(*) AS mutual FROM (SELECT user_high AS uid FROM friendships WHERE "
    "user_low = :a AND status = 'accepted' UNION ALL SELECT user_low FROM friendships WHERE user_high = :b AND "
    "status = 'accepted') mine JOIN (SELECT user_low AS a, user_high AS b FROM friendships WHERE status = "
    "'accepted' UNION ALL SELECT user_high, user_low FROM friendships WHERE status = 'accepted') e ON e.a = "
    "mine.uid WHERE e.b <> :c AND e.b NOT IN (SELECT user_high FROM friendships WHERE user_low = :d UNION ALL "
    "SELECT user_low FROM friendships WHERE user_high = :e) GROUP BY e.b) x JOIN users u ON u.id = x.uid WHERE "
    "u.is_active = TRUE AND NOT EXISTS (SELECT 1 FROM user_blocks bl WHERE (bl.blocker_id = :f AND bl.blocked_id "
    "= u.id) OR (bl.blocker_id = u.id AND bl.blocked_id = :g))";

// ---------------------------------------------------------------- follows

inline constexpr const char* kFollowOf = "FROM user_follows WHERE follower_id = :f AND followed_id = :t";
inline constexpr const char* kInsertFollow =
    "INSERT INTO user_follows (id, follower_id, followed_id, status, created_at) VALUES (:id, :f, :t, :st, :c)";
inline constexpr const char* kDeleteFollow = "DELETE FROM user_follows WHERE follower_id = :f AND followed_id = :t";
inline constexpr const char* kApproveFollow =
    "UPDATE user_follows SET status = 'active' WHERE follower_id = :f AND followed_id = :t AND status = 'pending'";
inline constexpr const char* kRejectFollow =
    "DELETE FROM user_follows WHERE follower_id = :f AND followed_id = :t AND status = 'pending'";
inline constexpr const char* kDeleteFollowsBetween =
    "DELETE FROM user_follows WHERE (follower_id = :a AND followed_id = :b) OR (follower_id = :c AND "
    "followed_id = :d)";
inline constexpr const char* kCountFollowers =
    "SELECT COUNT(*) FROM user_follows f JOIN users u ON u.id = f.follower_id WHERE f.followed_id = :u AND "
    "f.status = 'active' AND u.is_active = TRUE";
inline constexpr const char* kCountFollowing =
    "SELECT COUNT(*) FROM user_follows f JOIN users u ON u.id = f.followed_id WHERE f.follower_id = :u AND "
    "f.status = 'active' AND u.is_active = TRUE";
// Followers (or following) of :a with the status :s, none blocked with the viewer :v either way.
inline constexpr const char* kFollowersFrom =
    "FROM (SELECT follower_id AS uid, created_at AS since, 0 AS mutual FROM user_follows WHERE followed_id = :a AND "
    "status = :s) x JOIN users u ON u.id = x.uid WHERE u.is_active = TRUE AND NOT EXISTS (SELECT 1 FROM "
    "user_blocks b WHERE (b.blocker_id = :v AND b.blocked_id = u.id) OR (b.blocker_id = u.id AND b.blocked_id = "
    ":w))";
inline constexpr const char* kFollowingFrom =
    "FROM (SELECT followed_id AS uid, created_at AS since, 0 AS mutual FROM user_follows WHERE follower_id = :a AND "
    "status = :s) x JOIN users u ON u.id = x.uid WHERE u.is_active = TRUE AND NOT EXISTS (SELECT 1 FROM "
    "user_blocks b WHERE (b.blocker_id = :v AND b.blocked_id = u.id) OR (b.blocker_id = u.id AND b.blocked_id = "
    ":w))";

// ---------------------------------------------------------------- blocks

inline constexpr const char* kInsertBlock =
    "INSERT INTO user_blocks (id, blocker_id, blocked_id, created_at) VALUES (:id, :a, :b, :t)";
inline constexpr const char* kDeleteBlock = "DELETE FROM user_blocks WHERE blocker_id = :a AND blocked_id = :b";
inline constexpr const char* kCountBlockBy =
    "SELECT COUNT(*) FROM user_blocks WHERE blocker_id = :a AND blocked_id = :b";
inline constexpr const char* kBlocksFrom =
    "FROM (SELECT blocked_id AS uid, created_at AS since, 0 AS mutual FROM user_blocks WHERE blocker_id = :a) x "
    "JOIN users u ON u.id = x.uid WHERE 1 = 1";

}  // namespace wp::social::sql
