#pragma once
#include "http/router.hpp"
#include "modules/system/service.hpp"

namespace wp::system {

// /api/health/, /api/ready/, /metrics, /api/schema/
void add_routes(http::Router& router, SystemService& service);

}  // namespace wp::system
