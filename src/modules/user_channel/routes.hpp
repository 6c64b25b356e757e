#pragma once
#include "core/blocking_pool.hpp"
#include "core/user_messages.hpp"
#include "http/router.hpp"
#include "realtime/user_channel.hpp"

namespace wp::user_channel {

// The /ws/user/ WebSocket (docs/realtime.md, "The per-user channel").
// `handlers` (the modules' client messages) must outlive the server.
void add_routes(http::Router& router, realtime::LiveUserChannel& channel, BlockingPool& pool,
                const UserMessageHandlers& handlers);

}  // namespace wp::user_channel
