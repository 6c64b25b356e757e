#pragma once
// JSON shapes of groups, memberships and invitations (REST), and the data
// of the group_invite and group_request events (docs/realtime.md).
#include <boost/json.hpp>

#include <optional>
#include <string>

#include "modules/groups/model.hpp"

namespace wp::groups {

std::string avatar_url(const GroupRow& g);
boost::json::object group_json(const GroupRow& g);
// The group with "membership": the viewer's own row ({role, status, since, permissions}) or null.
boost::json::object group_view_json(const GroupView& v);
// A membership with the permissions it holds under its group's settings.
boost::json::object membership_json(const MembershipRow& m, const Settings& group_settings);
boost::json::object invitation_json(const InvitationRow& i);

boost::json::object group_invite_event(const GroupRow& g, const std::string& inviter_id,
                                       const std::string& inviter_username);
boost::json::object group_request_event(const GroupRow& g, const std::string& user_id, const std::string& username);

}  // namespace wp::groups
