#include "modules/user_channel/socket.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "modules/user_channel/protocol.hpp"

namespace wp::user_channel {

UserSocket::UserSocket(realtime::LiveUserChannel& channel, BlockingPool& pool, std::string user_id,
                       std::shared_ptr<realtime::Connection> conn)
    : channel_(channel), pool_(pool), user_id_(std::move(user_id)), conn_(std::move(conn)) {}

void UserSocket::on_message(const std::string& text) {
  try {
    auto msg = protocol::parse_client_message(text);
    // ping is the only message a client sends today.
    conn_->send(realtime::make_message(protocol::pong(msg.client_time)));
  } catch (const protocol::Invalid& e) {
    conn_->send(realtime::make_message(protocol::error(e.code, e.message)));
  }
}

void UserSocket::on_close() {
  // Past the pool's bound (one goodbye per socket, and sockets are capped),
  // but never on the I/O thread: it talks to Redis.
  bool queued = pool_.submit_always([self = shared_from_this()] {
    try {
      self->channel_.detach(self->user_id_, self->conn_);
    } catch (const Error& e) {
      // Shared state unreachable: this node's heartbeats stop for the user and expire instead.
      spdlog::warn("user channel: goodbye of {} failed: {}", self->user_id_, e.what());
    }
  });
  if (!queued) spdlog::info("user channel: {} left during shutdown", user_id_);
}

}  // namespace wp::user_channel
