#include "modules/user_channel/socket.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "modules/user_channel/protocol.hpp"

namespace wp::user_channel {

namespace {

// Messages of one socket waiting for the pool; more are answered `busy`.
constexpr std::size_t kMaxPending = 64;

// The `error` code a handler's wp::Error is answered with.
const char* error_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::validation: return "invalid_message";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::unavailable: return "unavailable";
    default: return "server_error";
  }
}

}  // namespace

UserSocket::UserSocket(realtime::LiveUserChannel& channel, BlockingPool& pool, const UserMessageHandlers& handlers,
                       Principal user, std::shared_ptr<realtime::Connection> conn)
    : channel_(channel),
      pool_(pool),
      handlers_(handlers),
      user_(std::move(user)),
      conn_(std::move(conn)),
      queue_(std::make_shared<SerialQueue>(pool, kMaxPending)) {}

void UserSocket::on_message(const std::string& text) {
  try {
    auto msg = protocol::parse_client_message(text);
    if (msg.type == "ping") {
      conn_->send(realtime::make_message(protocol::pong(msg.client_time)));
      return;
    }
    auto handler = handlers_.find(msg.type);
    if (!handler) throw protocol::unknown_type(msg.type);
    run_handler(*handler, std::move(msg.body));
  } catch (const protocol::Invalid& e) {
    conn_->send(realtime::make_message(protocol::error(e.code, e.message)));
  }
}

void UserSocket::run_handler(const UserMessageHandler& handler, boost::json::object body) {
  auto task = [self = shared_from_this(), &handler, body = std::move(body)] {
    auto conn = self->conn_;
    // Weak: a module may keep `reply` past the handler (analytics' live stream, until its lease
    // lapses), and must not keep a closed socket alive by it.
    auto reply = [weak = std::weak_ptr<realtime::Connection>(conn)](std::string frame) {
      if (auto c = weak.lock()) c->send(realtime::make_message(std::move(frame)));
    };
    UserSocketMessage m{self->user_, body, std::move(reply), conn->id()};
    try {
      handler(m);
    } catch (const Error& e) {
      conn->send(realtime::make_message(protocol::error(error_code_for(e.code()), e.what())));
    }
  };
  if (!queue_->post(std::move(task)))
    conn_->send(realtime::make_message(protocol::error("busy", "Too many messages waiting; send again later.")));
}

void UserSocket::on_close() {
  // Past the pool's bound (one goodbye per socket, and sockets are capped),
  // but never on the I/O thread: it talks to Redis.
  bool queued = pool_.submit_always([self = shared_from_this()] {
    try {
      self->channel_.detach(self->user_.id, self->conn_);
    } catch (const Error& e) {
      // Shared state unreachable: this node's heartbeats stop for the user and expire instead.
      spdlog::warn("user channel: goodbye of {} failed: {}", self->user_.id, e.what());
    }
  });
  if (!queued) spdlog::info("user channel: {} left during shutdown", user_.id);
}

}  // namespace wp::user_channel
