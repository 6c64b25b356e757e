#pragma once
#include "http/router.hpp"
#include "modules/accounts/service.hpp"

namespace wp::accounts {

// /api/admin/users/...: staff only.
void add_admin_routes(http::Router& router, AccountsService& service);

}  // namespace wp::accounts
