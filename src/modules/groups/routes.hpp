#pragma once
#include "http/router.hpp"
#include "modules/groups/service.hpp"

namespace wp::groups {

// /api/groups/... (a group's parties, /api/groups/{id}/parties/, are the parties module's route).
void add_routes(http::Router& router, GroupsService& service);

}  // namespace wp::groups
