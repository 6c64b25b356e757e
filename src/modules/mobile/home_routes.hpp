#pragma once
// GET /api/mobile/home/: the app's first screen (home.hpp).
#include "http/router.hpp"
#include "modules/mobile/home.hpp"

namespace wp::mobile {

void add_home_routes(http::Router& router, HomeService& home);

}  // namespace wp::mobile
