#pragma once
#include "core/user_messages.hpp"
#include "http/router.hpp"
#include "modules/analytics/service.hpp"

namespace wp::analytics {

// /api/analytics/...: ingestion and the read views.
void add_routes(http::Router& router, AnalyticsService& service);

// `analytics_live` on /ws/user/ (staff): {"subscribe": true} (the default) starts or renews
// the stream of `analytics_live` events on that socket, false stops it.
void add_socket_messages(UserMessageHandlers& handlers, AnalyticsService& svc);

}  // namespace wp::analytics
