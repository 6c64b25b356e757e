#pragma once
#include "http/router.hpp"
#include "modules/parties/polls_service.hpp"

namespace wp::parties {

// /api/parties/{id}/polls/...
void add_poll_routes(http::Router& router, PollsService& service);

}  // namespace wp::parties
