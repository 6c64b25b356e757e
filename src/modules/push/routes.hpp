#pragma once
#include "http/router.hpp"
#include "modules/push/service.hpp"

namespace wp::push {

// /api/push/...: the VAPID key, my subscriptions and device tokens, a test push, my push log.
void add_routes(http::Router& router, PushService& service);

}  // namespace wp::push
