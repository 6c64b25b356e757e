#pragma once
// The JSON shapes of notifications, preferences and broadcasts (REST and the live events).
#include <boost/json.hpp>

#include "modules/notifications/catalog.hpp"
#include "modules/notifications/model.hpp"

namespace wp::notifications {

boost::json::object notification_json(const NotificationRow& n);
boost::json::object unread_json(const UnreadCount& u);
boost::json::object type_json(const TypeInfo& info);
boost::json::object broadcast_json(const BroadcastRow& b);
// "22:30" <-> minutes of the day; nullopt for anything else.
std::string minutes_text(int minutes);
std::optional<int> parse_minutes(const std::string& text);

}  // namespace wp::notifications
