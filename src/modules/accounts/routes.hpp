#pragma once
#include "core/config.hpp"
#include "http/dispatcher.hpp"
#include "http/router.hpp"
#include "modules/accounts/service.hpp"

namespace wp::accounts {

// /api/auth/... and /api/users/...
void add_routes(http::Router& router, AccountsService& service);
// Reads the bearer token or the wp_access cookie (with the Origin rule for cookies).
http::Authenticator make_authenticator(AccountsService& service, const Config& config);
// The same, answered from what this node remembers, or not answered (see http::MemoryAuth).
http::MemoryAuthenticator make_memory_authenticator(AccountsService& service, const Config& config);

}  // namespace wp::accounts
