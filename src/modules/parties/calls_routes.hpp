#pragma once
#include "http/router.hpp"
#include "modules/parties/calls_service.hpp"

namespace wp::parties {

// /api/parties/{id}/call/...
void add_call_routes(http::Router& router, CallsService& service);

}  // namespace wp::parties
