#pragma once
#include "core/config.hpp"
#include "core/user_messages.hpp"
#include "http/router.hpp"
#include "modules/messaging/service.hpp"

namespace wp::messaging {

// The REST routes (docs/api.md, "Messaging").
void add_routes(http::Router& router, MessagingService& svc);
// What clients send on /ws/user/ for messaging: sync, typing, viewing (docs/realtime.md).
void add_socket_messages(UserMessageHandlers& handlers, MessagingService& svc);
// The messaging settings of the server's configuration.
Settings settings_from(const Config& config);

}  // namespace wp::messaging
