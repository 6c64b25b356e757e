#pragma once
#include "http/router.hpp"
#include "modules/notifications/service.hpp"

namespace wp::notifications {

void add_routes(http::Router& router, NotificationsService& service);

}  // namespace wp::notifications
