#pragma once
#include "core/blocking_pool.hpp"
#include "http/router.hpp"
#include "realtime/user_channel.hpp"

namespace wp::user_channel {

// The /ws/user/ WebSocket (docs/realtime.md, "The per-user channel").
void add_routes(http::Router& router, realtime::LiveUserChannel& channel, BlockingPool& pool);

}  // namespace wp::user_channel
