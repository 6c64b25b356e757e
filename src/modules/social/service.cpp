#include "modules/social/service.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace wp::social {

namespace json = boost::json;

SocialService::SocialService(Store& store, UserChannel& channel) : store_(store), channel_(channel) {}

UserLink SocialService::reachable(const Principal& me, const std::string& id, const char* field) {
  if (id == me.id) throw_validation(field, "That is you.");
  auto user = store_.active_user(id);
  // A user who blocked the caller does not exist for them.
  if (!user || store_.blocked_by(id, me.id)) throw_not_found("User not found.");
  if (store_.blocked_by(me.id, id)) throw_forbidden("You blocked this user: unblock them first.");
  return *user;
}

UserLink SocialService::visible(const Principal& me, const std::string& id) {
  auto user = store_.active_user(id);
  if (!user || (id != me.id && blocked_between(me.id, id))) throw_not_found("User not found.");
  return *user;
}

void SocialService::publish(const std::string& to, const char* type, const std::string& user_id,
                            const std::string& username) {
  json::object data{{"user", json::object{{"id", user_id}, {"username", username}}}};
  channel_.publish(to, type, json::serialize(data));
}

void SocialService::notify(const std::string& to, const char* type, const Principal& actor) {
  json::object data{{"actor_id", actor.id}, {"actor_username", actor.username}};
  notify_quietly(notifier_, {to, type, json::serialize(data), "", actor.id});
}

// ---------------------------------------------------------------- friendships

std::pair<RequestOutcome, FriendshipRow> SocialService::send_request(const Principal& me, const std::string& to) {
  auto them = reachable(me, to, "user_id");
  FriendshipRow row;
  auto outcome = store_.request(me.id, to, now_ms(), row);
  switch (outcome) {
    case RequestOutcome::already_requested: throw_conflict("You already asked this user.");
    case RequestOutcome::already_friends: throw_conflict("You are already friends.");
    case RequestOutcome::sent:
      publish(to, "friend_request", me.id, me.username);
      notify(to, "friend_request", me);
      break;
    case RequestOutcome::accepted_crossing:
      publish(to, "friend_accepted", me.id, me.username);
      notify(to, "friend_accepted", me);
      publish(me.id, "friend_accepted", them.user_id, them.username);
      befriended(me.id, to);
      break;
  }
  return {outcome, row};
}

FriendshipRow SocialService::accept(const Principal& me, const std::string& requester) {
  auto them = store_.active_user(requester);
  // A block removes requests; one that raced it is not accepted.
  if (!them || blocked_between(me.id, requester) || !store_.accept(requester, me.id, now_ms()))
    throw_not_found("No pending request from this user.");
  publish(requester, "friend_accepted", me.id, me.username);
  publish(me.id, "friend_accepted", them->user_id, them->username);
  notify(requester, "friend_accepted", me);
  befriended(me.id, requester);
  return *store_.friendship(me.id, requester);
}

void SocialService::unfriended(const std::string& a, const std::string& b) {
  publish_event(events_, {.type = "friend.removed", .user_id = a, .data_json = "{\"friend_id\":\"" + b + "\"}"});
  publish_event(events_, {.type = "friend.removed", .user_id = b, .data_json = "{\"friend_id\":\"" + a + "\"}"});
}

void SocialService::befriended(const std::string& a, const std::string& b) {
  publish_event(events_, {.type = "friend.added", .user_id = a, .data_json = "{\"friend_id\":\"" + b + "\"}"});
  publish_event(events_, {.type = "friend.added", .user_id = b, .data_json = "{\"friend_id\":\"" + a + "\"}"});
}

void SocialService::decline(const Principal& me, const std::string& requester) {
  if (requester == me.id || !store_.delete_request(requester, me.id))
    throw_not_found("No pending request from this user.");
}

void SocialService::cancel(const Principal& me, const std::string& addressee) {
  if (addressee == me.id || !store_.delete_request(me.id, addressee))
    throw_not_found("No pending request to this user.");
}

void SocialService::unfriend(const Principal& me, const std::string& other) {
  if (other == me.id || !store_.unfriend(me.id, other)) throw_not_found("You are not friends with this user.");
  auto them = store_.active_user(other);
  publish(other, "friend_removed", me.id, me.username);
  if (them) publish(me.id, "friend_removed", them->user_id, them->username);
  unfriended(me.id, other);
}

Listed SocialService::friends(const Principal& me, const Window& w) {
  return {store_.links(LinkList::friends, me.id, w), store_.count_links(LinkList::friends, me.id)};
}

Listed SocialService::requests(const Principal& me, RequestDirection direction, const Window& w) {
  auto list = direction == RequestDirection::incoming ? LinkList::incoming : LinkList::outgoing;
  return {store_.links(list, me.id, w), store_.count_links(list, me.id)};
}

Listed SocialService::mutual_friends(const Principal& me, const std::string& other, const Window& w) {
  visible(me, other);
  return {store_.mutual_friends(me.id, other, w), store_.count_mutual_friends(me.id, other)};
}

Listed SocialService::suggestions(const Principal& me, const Window& w) {
  return {store_.suggestions(me.id, w), store_.count_suggestions(me.id)};
}

std::vector<bool> SocialService::online(const std::vector<UserLink>& users) {
  std::vector<std::string> ids;
  for (auto& u : users) ids.push_back(u.user_id);
  if (ids.empty()) return {};
  auto flags = channel_.online(ids);
  flags.resize(ids.size(), false);
  return flags;
}

Relationship SocialService::relationship(const Principal& me, const std::string& other) {
  Relationship r;
  r.user = visible(me, other);
  if (other == me.id) return r;
  if (auto f = store_.friendship(me.id, other)) {
    r.friendship = f->status;
    r.requested_by_me = f->requester_id == me.id;
  }
  if (auto f = store_.follow_of(me.id, other)) r.following = f->status;
  if (auto f = store_.follow_of(other, me.id)) r.followed_by = f->status;
  r.blocking = store_.blocked_by(me.id, other);
  return r;
}

// ---------------------------------------------------------------- follows

FollowRow SocialService::follow(const Principal& me, const std::string& target) {
  reachable(me, target, "user_id");
  auto audience = audience_of_ ? audience_of_(target) : ProfileAudience::everyone;
  bool open = audience == ProfileAudience::everyone || (audience == ProfileAudience::friends && are_friends(me.id, target));
  if (store_.follow_of(me.id, target)) throw_conflict("You already follow this user, or asked to.");
  FollowRow f{new_uuid(), me.id, target, open ? FollowStatus::active : FollowStatus::pending, now_ms()};
  store_.insert_follow(f);
  return f;
}

void SocialService::unfollow(const Principal& me, const std::string& target) {
  if (!store_.delete_follow(me.id, target)) throw_not_found("You do not follow this user.");
}

void SocialService::approve_follower(const Principal& me, const std::string& follower) {
  if (!store_.approve_follow(follower, me.id)) throw_not_found("No pending follow request from this user.");
}

void SocialService::reject_follower(const Principal& me, const std::string& follower) {
  if (!store_.reject_follow(follower, me.id)) throw_not_found("No pending follow request from this user.");
}

Listed SocialService::follows(const Principal& me, bool followers, const std::string& user_id, FollowStatus status,
                              const Window& w) {
  visible(me, user_id);
  if (status != FollowStatus::active && user_id != me.id && !me.staff())
    throw_forbidden("Only your own pending follows are listed.");
  return {store_.follows(followers, user_id, status, me.id, w), store_.count_follows(followers, user_id, status, me.id)};
}

// ---------------------------------------------------------------- blocks

void SocialService::block(const Principal& me, const std::string& target) {
  if (target == me.id) throw_validation("user_id", "You cannot block yourself.");
  auto them = store_.active_user(target);
  if (!them) throw_not_found("User not found.");
  if (store_.blocked_by(me.id, target)) throw_conflict("You already blocked this user.");
  if (store_.block(me.id, target, now_ms())) {
    publish(target, "friend_removed", me.id, me.username);
    publish(me.id, "friend_removed", them->user_id, them->username);
    unfriended(me.id, target);
  }
  if (blocks_changed_) blocks_changed_(me.id, target, true);
}

void SocialService::unblock(const Principal& me, const std::string& target) {
  if (!store_.unblock(me.id, target)) throw_not_found("You have not blocked this user.");
  // They may have blocked me too: that block stands.
  if (blocks_changed_) blocks_changed_(me.id, target, blocked_between(me.id, target));
}

Listed SocialService::blocks(const Principal& me, const Window& w) {
  return {store_.links(LinkList::blocks, me.id, w), store_.count_links(LinkList::blocks, me.id)};
}

// ---------------------------------------------------------------- Relations

bool SocialService::blocked_between(const std::string& a, const std::string& b) {
  return store_.blocked_by(a, b) || store_.blocked_by(b, a);
}

bool SocialService::are_friends(const std::string& a, const std::string& b) {
  if (a == b) return false;
  auto f = store_.friendship(a, b);
  return f && f->status == FriendshipStatus::accepted;
}

std::vector<std::string> SocialService::friends_of(const std::string& user_id) { return store_.friend_ids(user_id); }

}  // namespace wp::social
