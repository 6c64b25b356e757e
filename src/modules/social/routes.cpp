#include "modules/social/routes.hpp"

#include "core/fields.hpp"
#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/social/dto.hpp"

namespace wp::social {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

// The body's user_id: a UUID, or a 400.
std::string body_user_id(Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto id = f.required_string("user_id", 1, 64);
  if (f.ok() && !is_uuid(id)) f.add_error("user_id", "Must be a user id (UUID).");
  f.done();
  return id;
}

Window window(const http::Page& page) { return {page.size, page.offset()}; }

// A page of users, each shaped by `shape`.
template <class Shape>
Response user_page(Request& req, const http::Page& page, const Listed& listed, Shape shape) {
  json::array out;
  for (std::size_t i = 0; i < listed.rows.size(); ++i) out.push_back(shape(listed.rows[i], i));
  return http::paginated(req, page, listed.count, std::move(out));
}

Response list_friends(SocialService& svc, Request& req) {
  auto page = http::parse_page(req);
  auto listed = svc.friends(req.current_user(), window(page));
  auto online = svc.online(listed.rows);
  return user_page(req, page, listed,
                   [&](const UserLink& u, std::size_t i) { return link_json(u, "friends_since", online[i]); });
}

Response unfriend(SocialService& svc, Request& req) {
  svc.unfriend(req.current_user(), req.param("user_id"));
  return http::success_response();
}

Response send_request(SocialService& svc, Request& req) {
  auto [outcome, row] = svc.send_request(req.current_user(), body_user_id(req));
  // A crossing request made the pair friends: nothing new was created.
  return http::json_response(friendship_json(row, req.current_user().id),
                             outcome == RequestOutcome::sent ? 201 : 200);
}

Response list_requests(SocialService& svc, Request& req) {
  auto page = http::parse_page(req);
  auto direction = RequestDirection::incoming;
  if (auto d = req.query("direction")) direction = require_enum<RequestDirection>("direction", *d);
  auto listed = svc.requests(req.current_user(), direction, window(page));
  return user_page(req, page, listed, [](const UserLink& u, std::size_t) { return link_json(u, "requested_at"); });
}

Response accept_request(SocialService& svc, Request& req) {
  return http::json_response(friendship_json(svc.accept(req.current_user(), req.param("user_id")), req.current_user().id));
}

Response decline_request(SocialService& svc, Request& req) {
  svc.decline(req.current_user(), req.param("user_id"));
  return http::success_response();
}

Response cancel_request(SocialService& svc, Request& req) {
  svc.cancel(req.current_user(), req.param("user_id"));
  return http::success_response();
}

Response suggestions(SocialService& svc, Request& req) {
  auto page = http::parse_page(req);
  auto listed = svc.suggestions(req.current_user(), window(page));
  return user_page(req, page, listed, [](const UserLink& u, std::size_t) { return link_json(u, nullptr, {}, true); });
}

Response relationship(SocialService& svc, Request& req) {
  return http::json_response(relationship_json(svc.relationship(req.current_user(), req.param("id"))));
}

Response mutual_friends(SocialService& svc, Request& req) {
  auto page = http::parse_page(req);
  auto listed = svc.mutual_friends(req.current_user(), req.param("id"), window(page));
  return user_page(req, page, listed, [](const UserLink& u, std::size_t) { return link_json(u, nullptr); });
}

Response follow_list(SocialService& svc, Request& req, bool followers) {
  auto page = http::parse_page(req);
  auto status = FollowStatus::active;
  if (auto s = req.query("status")) status = require_enum<FollowStatus>("status", *s);
  auto listed = svc.follows(req.current_user(), followers, req.param("id"), status, window(page));
  return user_page(req, page, listed, [](const UserLink& u, std::size_t) { return link_json(u, "since"); });
}

Response follow(SocialService& svc, Request& req) {
  return http::json_response(follow_json(svc.follow(req.current_user(), body_user_id(req))), 201);
}

Response unfollow(SocialService& svc, Request& req) {
  svc.unfollow(req.current_user(), req.param("user_id"));
  return http::success_response();
}

Response approve_follower(SocialService& svc, Request& req) {
  svc.approve_follower(req.current_user(), req.param("user_id"));
  return http::success_response();
}

Response reject_follower(SocialService& svc, Request& req) {
  svc.reject_follower(req.current_user(), req.param("user_id"));
  return http::success_response();
}

Response list_blocks(SocialService& svc, Request& req) {
  auto page = http::parse_page(req);
  auto listed = svc.blocks(req.current_user(), window(page));
  return user_page(req, page, listed, [](const UserLink& u, std::size_t) { return link_json(u, "blocked_at"); });
}

Response block(SocialService& svc, Request& req) {
  svc.block(req.current_user(), body_user_id(req));
  return http::success_response({}, 201);
}

Response unblock(SocialService& svc, Request& req) {
  svc.unblock(req.current_user(), req.param("user_id"));
  return http::success_response();
}

}  // namespace

void add_routes(http::Router& router, SocialService& svc) {
  const auto U = Access::user;
  http::ModuleRoutes routes(router, svc, "social");
  routes.add("GET", "/api/social/friends/", "My friends, by name, each with online", U, list_friends);
  routes.add("DELETE", "/api/social/friends/{user_id}/", "Unfriend", U, unfriend);
  routes.add("GET", "/api/social/friend-requests/", "Pending friend requests (?direction=incoming|outgoing)", U,
             list_requests);
  routes.add("POST", "/api/social/friend-requests/",
             "Send a friend request (accepts theirs when they already asked me)", U, send_request);
  routes.add("POST", "/api/social/friend-requests/{user_id}/accept/", "Accept a friend request", U, accept_request);
  routes.add("POST", "/api/social/friend-requests/{user_id}/decline/", "Decline a friend request", U,
             decline_request);
  routes.add("DELETE", "/api/social/friend-requests/{user_id}/", "Cancel my friend request", U, cancel_request);
  routes.add("GET", "/api/social/suggestions/", "Friends of my friends, most friends in common first", U,
             suggestions);
  routes.add("GET", "/api/social/users/{id}/", "Where I stand with a user (friendship, follows, block)", U,
             relationship);
  routes.add("GET", "/api/social/users/{id}/mutual-friends/", "Friends I have in common with a user", U,
             mutual_friends);
  routes.add("GET", "/api/social/users/{id}/followers/", "A user's followers (?status=pending: my follow requests)",
             U, [](SocialService& s, Request& r) { return follow_list(s, r, true); });
  routes.add("GET", "/api/social/users/{id}/following/", "Whom a user follows (?status=pending: my pending follows)",
             U, [](SocialService& s, Request& r) { return follow_list(s, r, false); });
  routes.add("POST", "/api/social/follows/", "Follow a user (a request when their profile is not public)", U, follow);
  routes.add("DELETE", "/api/social/follows/{user_id}/", "Unfollow a user, or withdraw a follow request", U,
             unfollow);
  routes.add("POST", "/api/social/followers/{user_id}/approve/", "Approve a follow request", U, approve_follower);
  routes.add("POST", "/api/social/followers/{user_id}/reject/", "Reject a follow request", U, reject_follower);
  routes.add("GET", "/api/social/blocks/", "Users I blocked", U, list_blocks);
  routes.add("POST", "/api/social/blocks/", "Block a user (ends friendship, requests and follows both ways)", U, block);
  routes.add("DELETE", "/api/social/blocks/{user_id}/", "Unblock a user", U, unblock);
}

}  // namespace wp::social
