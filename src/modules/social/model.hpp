#pragma once
// The social graph: friendships (one row per pair), follows and blocks, as
// the store reads them, and the vocabulary of their states.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "core/enum_names.hpp"

namespace wp::social {

enum class FriendshipStatus { pending, accepted };
enum class FollowStatus { active, pending };
// Who may see a user's profile (accounts' privacy_settings.profile_visibility),
// as the follow rule needs it: a follow of a non-public profile is a request.
enum class ProfileAudience { everyone, friends, nobody };
// Which side of a pending request a list shows.
enum class RequestDirection { incoming, outgoing };

// The pair a friendship row stores, ordered so that (a, b) and (b, a) are one row.
inline std::pair<std::string, std::string> ordered_pair(const std::string& a, const std::string& b) {
  return a < b ? std::pair{a, b} : std::pair{b, a};
}

struct FriendshipRow {
  std::string id;
  std::string user_low, user_high;
  std::string requester_id;
  FriendshipStatus status = FriendshipStatus::pending;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> accepted_at;
  std::string other_of(const std::string& me) const { return me == user_low ? user_high : user_low; }
};

// A user seen from another: a friend, a requester, a follower, a suggestion.
struct UserLink {
  std::string user_id;
  std::string username;
  std::int64_t since = 0;              // when the link was made (accepted, requested, followed, blocked)
  std::int64_t mutual_count = 0;       // suggestions: friends in common
};

struct FollowRow {
  std::string id;
  std::string follower_id, followed_id;
  FollowStatus status = FollowStatus::active;
  std::int64_t created_at = 0;
};

struct FollowCounts {
  std::int64_t followers = 0, following = 0;
};

// What a friend request did.
enum class RequestOutcome { sent, accepted_crossing, already_requested, already_friends };

}  // namespace wp::social

WP_ENUM_NAMES(wp::social::FriendshipStatus, {wp::social::FriendshipStatus::pending, "pending"},
              {wp::social::FriendshipStatus::accepted, "accepted"});
WP_ENUM_NAMES(wp::social::FollowStatus, {wp::social::FollowStatus::active, "active"},
              {wp::social::FollowStatus::pending, "pending"});
WP_ENUM_NAMES(wp::social::ProfileAudience, {wp::social::ProfileAudience::everyone, "public"},
              {wp::social::ProfileAudience::friends, "friends"}, {wp::social::ProfileAudience::nobody, "private"});
WP_ENUM_NAMES(wp::social::RequestDirection, {wp::social::RequestDirection::incoming, "incoming"},
              {wp::social::RequestDirection::outgoing, "outgoing"});
