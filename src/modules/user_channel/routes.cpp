#include "modules/user_channel/routes.hpp"

#include "core/error.hpp"
#include "http/module_routes.hpp"
#include "modules/user_channel/protocol.hpp"
#include "modules/user_channel/socket.hpp"

namespace wp::user_channel {

using http::Access;
using http::Request;
using http::Response;

namespace {

// A plain GET of the WebSocket route.
Response not_upgraded(Request&) {
  throw Error(ErrorCode::validation, "This is a WebSocket endpoint: send an Upgrade request.");
}

}  // namespace

void add_routes(http::Router& router, realtime::LiveUserChannel& channel, BlockingPool& pool,
                const UserMessageHandlers& handlers) {
  http::ModuleRoutes routes(router, channel, "realtime");
  routes.add("GET", "/ws/user/", "Per-user WebSocket: events and friends' presence (docs/realtime.md)",
             Access::user, not_upgraded,
             {.ws_open = [&channel, &pool, &handlers](Request& req, std::shared_ptr<realtime::Connection> conn)
                  -> std::shared_ptr<realtime::Endpoint> {
               const auto& user = req.current_user();
               // The endpoint exists before the socket joins: every socket that joined gets its goodbye.
               auto socket = std::make_shared<UserSocket>(channel, pool, handlers, user, conn);
               channel.attach(user.id, user.session_id, conn, realtime::make_message(protocol::hello(user.id)));
               return socket;
             }});
}

}  // namespace wp::user_channel
