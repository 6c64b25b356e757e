#pragma once
#include "http/router.hpp"
#include "modules/search/service.hpp"

namespace wp::search {

void add_routes(http::Router& router, SearchService& service);

}  // namespace wp::search
