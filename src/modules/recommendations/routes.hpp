#pragma once
#include "http/router.hpp"
#include "modules/recommendations/service.hpp"

namespace wp::recommendations {

void add_routes(http::Router& router, RecommendationsService& service);

}  // namespace wp::recommendations
