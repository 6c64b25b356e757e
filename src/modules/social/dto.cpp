#include "modules/social/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"

namespace wp::social {

namespace json = boost::json;

json::object link_json(const UserLink& u, const char* since_name, std::optional<bool> online, bool with_mutual) {
  json::object o{{"id", u.user_id}, {"username", u.username}};
  if (since_name) o[since_name] = to_rfc3339(u.since);
  if (online) o["online"] = *online;
  if (with_mutual) o["mutual_count"] = u.mutual_count;
  return o;
}

json::object friendship_json(const FriendshipRow& f, const std::string& me) {
  return {{"id", f.id},
          {"user_id", f.other_of(me)},
          {"requester_id", f.requester_id},
          {"status", to_string(f.status)},
          {"created_at", to_rfc3339(f.created_at)},
          {"accepted_at", http::time_or_null(f.accepted_at)}};
}

json::object follow_json(const FollowRow& f) {
  return {{"follower_id", f.follower_id},
          {"followed_id", f.followed_id},
          {"status", to_string(f.status)},
          {"created_at", to_rfc3339(f.created_at)}};
}

json::object relationship_json(const Relationship& r) {
  auto opt = [](const auto& v) { return v ? json::value(to_string(*v)) : json::value(nullptr); };
  return {{"user", json::object{{"id", r.user.user_id}, {"username", r.user.username}}},
          {"friendship", opt(r.friendship)},
          {"requested_by_me", r.requested_by_me},
          {"following", opt(r.following)},
          {"followed_by", opt(r.followed_by)},
          {"blocking", r.blocking}};
}

}  // namespace wp::social
