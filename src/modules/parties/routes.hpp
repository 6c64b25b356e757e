#pragma once
#include "core/blocking_pool.hpp"
#include "http/router.hpp"
#include "modules/parties/service.hpp"

namespace wp::parties {

// /api/parties/... and the /ws/party/{id}/ WebSocket.
void add_routes(http::Router& router, PartiesService& service, BlockingPool& pool);

}  // namespace wp::parties
