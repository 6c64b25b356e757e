#pragma once
// The pure rules of groups: the settings and permissions objects (their
// fixed keys, checks and defaults) and what a membership may do. No I/O:
// the C++ tests call these directly.
#include <boost/json/object.hpp>

#include <string>

#include "core/error.hpp"
#include "modules/groups/model.hpp"

namespace wp::groups {

// Settings as stored (unknown or ill-typed keys read as their defaults).
Settings parse_settings(const std::string& json_text);
boost::json::object settings_json(const Settings& s);
// The problems of a client's settings object (unknown keys, wrong types), under "settings".
FieldErrors check_settings(const boost::json::object& patch);
// The known settings of `current` with `patch` laid over them, as JSON text.
std::string merge_settings(const std::string& current, const boost::json::object& patch);

// Permissions as stored: {"invite": true, ...}, a subset of the fixed keys.
PermissionOverrides parse_permissions(const std::string& json_text);
// The problems of a client's permissions object, under "permissions".
FieldErrors check_permissions(const boost::json::object& patch);
// `current` with the keys of `patch` laid over them (null removes a key), as JSON text.
std::string merge_permissions(const std::string& current, const boost::json::object& patch);

// Whether an active membership holds p: admins hold everything; otherwise the
// membership's own value when it has one, else the role's default
// (moderators: all; members: invite and host_parties as the settings say).
bool holds(const MembershipRow& m, const Settings& settings, Permission p);
// Every permission with whether m holds it.
boost::json::object effective_permissions(const MembershipRow& m, const Settings& settings);

}  // namespace wp::groups
