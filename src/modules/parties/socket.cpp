#include "modules/parties/socket.hpp"

#include <spdlog/spdlog.h>

#include "modules/parties/protocol.hpp"

namespace wp::parties {

PartySocket::PartySocket(PartiesService& service, BlockingPool& pool, std::shared_ptr<Room> room, Principal user,
                         std::shared_ptr<realtime::Connection> conn)
    : service_(service),
      rooms_(service.rooms()),
      room_(std::move(room)),
      user_(std::move(user)),
      conn_(std::move(conn)),
      queue_(std::make_shared<SerialQueue>(pool, 64)) {}

void PartySocket::send_error(const std::string& code, const std::string& message, std::optional<int> retry_after) {
  conn_->send(realtime::make_message(protocol::error(code, message, retry_after)));
}

// Runs fn; a refused action becomes an `error` message, never a dropped socket.
template <class Fn>
void PartySocket::guarded(Fn&& fn) {
  try {
    fn();
  } catch (const PartyError& e) {
    send_error(e.ws_code(), e.what(), e.retry_after());
    if (e.ws_code() == "stale_version") conn_->send(rooms_.playback_message(room_));
  } catch (const Error& e) {
    const char* code = e.code() == ErrorCode::forbidden     ? "not_allowed"
                       : e.code() == ErrorCode::unavailable ? "unavailable"
                                                            : "invalid_message";
    send_error(code, e.what(), e.retry_after());
  }
}

// Runs fn on the pool after what this socket sent before; "busy" when too much waits.
template <class Fn>
void PartySocket::in_order(Fn&& fn) {
  if (!queue_->post([self = shared_from_this(), fn = std::forward<Fn>(fn)]() mutable { self->guarded(fn); }))
    send_error("server_busy", "The server is busy; try again.");
}

void PartySocket::on_message(const std::string& text) {
  protocol::ClientMessage msg;
  try {
    msg = protocol::parse_client_message(text);
  } catch (const protocol::Invalid& e) {
    return send_error(e.code, e.message);
  }
  const auto& type = msg.type;
  if (type == "ping") {
    conn_->send(realtime::make_message(protocol::pong(msg.client_time)));
  } else if (type == "video_control") {
    in_order([this, in = msg.control] { rooms_.control(room_, user_.id, in); });
  } else if (type == "buffering" || type == "ready") {
    in_order([this, buffering = type == "buffering"] { rooms_.buffering(room_, user_.id, buffering); });
  } else if (type == "typing") {
    guarded([&] { rooms_.typing(room_, user_, msg.is_typing); });
  } else if (type == "sync_request") {
    conn_->send(rooms_.playback_message(room_));
  } else if (type == "chat_message") {
    in_order([this, content = std::move(msg.content)] { service_.chat_in_room(user_, room_->id, content); });
  } else if (type == "reaction") {
    in_order([this, emoji = msg.emoji, ts = msg.video_timestamp] { service_.react_in_room(user_, room_->id, emoji, ts); });
  } else if (type == "sync_report") {
    service_.report_drift(user_.id, room_->id, msg.drift_ms);  // a domain event: no SQL, never waits
  } else if (parse_enum<SignalType>(type)) {
    in_order([this, type, body = std::move(msg.body)] { service_.relay_signal(user_, room_->id, type, body); });
  }
}

void PartySocket::on_close() {
  bool queued = queue_->post_always([self = shared_from_this()] {
    try {
      self->rooms_.detach(self->room_, self->user_.id, self->conn_);
    } catch (const std::exception& e) {
      // Shared state unreachable: presence heartbeats expire and clean up instead.
      spdlog::warn("party {}: leaving failed: {}", self->room_->id, e.what());
    }
  });
  // Only while the server stops: presence expires on the other nodes instead.
  if (!queued) spdlog::info("party {}: {} left during shutdown", room_->id, user_.id);
}

}  // namespace wp::parties
