#pragma once
#include "http/router.hpp"
#include "modules/mobile/service.hpp"

namespace wp::mobile {

void add_routes(http::Router& router, MobileService& service);
// Crash reports, sessions and staff's figures (crash_routes.cpp); add_routes calls it.
void add_crash_routes(http::Router& router, MobileService& service);

}  // namespace wp::mobile
