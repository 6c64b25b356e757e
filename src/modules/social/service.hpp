#pragma once
// The social rules: friend requests and friendships, follows (a request
// when the profile is not public), blocks (both ways: a blocked pair cannot
// friend or follow, and blocking removes what linked them), the lists, and
// the events the per-user channel carries. It is also the other modules'
// wp::Relations.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/domain_events.hpp"
#include "core/notifier.hpp"
#include "core/principal.hpp"
#include "core/relations.hpp"
#include "core/user_channel.hpp"
#include "modules/social/model.hpp"
#include "modules/social/store.hpp"

namespace wp::social {

// Who may see user_id's profile: the accounts module's answer, wired in app.cpp.
using AudienceOf = std::function<ProfileAudience(const std::string& user_id)>;
// Told after a block or unblock of the pair (a, b): `blocked` says whether a
// block stands between them either way now. Wired in app.cpp (parties: its
// invitations and live rooms).
using BlocksChanged = std::function<void(const std::string& a, const std::string& b, bool blocked)>;

// A page of a user list and the count of the whole list.
struct Listed {
  std::vector<UserLink> rows;
  long long count = 0;
};

// Where a pair stands, seen from the caller (GET /api/social/users/{id}/).
struct Relationship {
  UserLink user;
  std::optional<FriendshipStatus> friendship;
  bool requested_by_me = false;
  std::optional<FollowStatus> following, followed_by;
  bool blocking = false;
};

class SocialService : public Relations {
 public:
  SocialService(Store& store, UserChannel& channel);
  // Without it every profile counts as public.
  void set_audience_of(AudienceOf audience_of) { audience_of_ = std::move(audience_of); }
  void on_blocks_changed(BlocksChanged hook) { blocks_changed_ = std::move(hook); }
  // Notifications (#15): friend_request, friend_accepted. Unset, nobody is notified.
  void set_notifier(Notifier& notifier) { notifier_ = &notifier; }
  void set_events(const DomainEvents& events) { events_ = &events; }

  // Friendships. A request to someone whose own request is pending accepts
  // theirs (outcome accepted_crossing).
  std::pair<RequestOutcome, FriendshipRow> send_request(const Principal& me, const std::string& to);
  FriendshipRow accept(const Principal& me, const std::string& requester);
  void decline(const Principal& me, const std::string& requester);
  void cancel(const Principal& me, const std::string& addressee);
  void unfriend(const Principal& me, const std::string& other);

  Listed friends(const Principal& me, const Window& w);
  Listed requests(const Principal& me, RequestDirection direction, const Window& w);
  Listed mutual_friends(const Principal& me, const std::string& other, const Window& w);
  Listed suggestions(const Principal& me, const Window& w);
  // Whether each user has a /ws/user/ socket open (the channel may ask Redis).
  std::vector<bool> online(const std::vector<UserLink>& users);
  Relationship relationship(const Principal& me, const std::string& other);

  // Follows
  FollowRow follow(const Principal& me, const std::string& target);
  void unfollow(const Principal& me, const std::string& target);
  void approve_follower(const Principal& me, const std::string& follower);
  void reject_follower(const Principal& me, const std::string& follower);
  // followers (or following) of user_id; a status other than active only for their own lists.
  Listed follows(const Principal& me, bool followers, const std::string& user_id, FollowStatus status,
                 const Window& w);
  FollowCounts follow_counts(const std::string& user_id) { return store_.follow_counts(user_id); }

  // Blocks
  void block(const Principal& me, const std::string& target);
  void unblock(const Principal& me, const std::string& target);
  Listed blocks(const Principal& me, const Window& w);

  // wp::Relations
  bool blocked_between(const std::string& a, const std::string& b) override;
  bool are_friends(const std::string& a, const std::string& b) override;
  std::vector<std::string> friends_of(const std::string& user_id) override;

 private:
  // Another active user the caller may reach: 400 for themselves, 404 when
  // there is none or when they blocked the caller, 403 when the caller blocked them.
  UserLink reachable(const Principal& me, const std::string& id, const char* field);
  // An active user the caller may see (404 when not, or when blocked either way).
  UserLink visible(const Principal& me, const std::string& id);
  void publish(const std::string& to, const char* type, const std::string& user_id, const std::string& username);
  void notify(const std::string& to, const char* type, const Principal& actor);
  // friend.added, once for each of the two.
  void befriended(const std::string& a, const std::string& b);
  void unfriended(const std::string& a, const std::string& b);

  Store& store_;
  UserChannel& channel_;
  AudienceOf audience_of_;
  BlocksChanged blocks_changed_;
  Notifier* notifier_ = nullptr;
  const DomainEvents* events_ = nullptr;
};

}  // namespace wp::social
