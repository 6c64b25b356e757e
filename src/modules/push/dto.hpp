#pragma once
// JSON shapes of push subscriptions, device tokens and push notifications.
#include <boost/json.hpp>

#include "modules/push/model.hpp"
#include "modules/push/service.hpp"

namespace wp::push {

boost::json::object subscription_json(const SubscriptionRow& s);
boost::json::object device_json(const DeviceTokenRow& d);
boost::json::object push_json(const PushRow& p);
boost::json::object push_detail_json(const PushDetail& d);

}  // namespace wp::push
