#pragma once
#include "http/router.hpp"
#include "modules/admin/service.hpp"

namespace wp::admin {

// /api/admin/...: users export, system health, broadcasts, logs, errors,
// metrics, parties and videos; /api/broadcasts/active/ for every user.
void add_routes(http::Router& router, AdminService& service);

}  // namespace wp::admin
