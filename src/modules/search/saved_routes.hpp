#pragma once
#include "http/router.hpp"
#include "modules/search/saved.hpp"

namespace wp::search {

// /api/search/saved/...
void add_saved_routes(http::Router& router, SavedSearches& saved);

}  // namespace wp::search
