#pragma once
#include "http/router.hpp"
#include "modules/analytics/service.hpp"

namespace wp::analytics {

// /api/analytics/...: ingestion and the read views.
void add_routes(http::Router& router, AnalyticsService& service);

}  // namespace wp::analytics
