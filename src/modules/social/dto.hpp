#pragma once
// JSON shapes of the social graph.
#include <boost/json.hpp>

#include <optional>

#include "modules/social/model.hpp"
#include "modules/social/service.hpp"

namespace wp::social {

// {"id", "username", "since"} and, where asked, "online" and "mutual_count".
boost::json::object link_json(const UserLink& u, const char* since_name, std::optional<bool> online = std::nullopt,
                              bool with_mutual = false);
boost::json::object friendship_json(const FriendshipRow& f, const std::string& me);
boost::json::object follow_json(const FollowRow& f);
boost::json::object relationship_json(const Relationship& r);

}  // namespace wp::social
