#pragma once
#include "http/router.hpp"
#include "modules/store/achievements.hpp"
#include "modules/store/service.hpp"

namespace wp::store {

// Coins, the catalog, purchases, inventory (docs/api.md, "Coins, store and achievements").
void add_routes(http::Router& router, StoreService& svc);
// GET /api/achievements/...
void add_achievement_routes(http::Router& router, AchievementsService& svc);

}  // namespace wp::store
