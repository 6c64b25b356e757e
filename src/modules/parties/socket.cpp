#include "modules/parties/socket.hpp"

#include <boost/json.hpp>

#include <spdlog/spdlog.h>

#include "core/clock.hpp"

namespace wp::parties {

namespace json = boost::json;

PartySocket::PartySocket(PartiesService& service, BlockingPool& pool, std::shared_ptr<Room> room, Principal user,
                         std::shared_ptr<realtime::Connection> conn)
    : service_(service),
      room_(std::move(room)),
      user_(std::move(user)),
      conn_(std::move(conn)),
      queue_(std::make_shared<SerialQueue>(pool, 64)) {}

void PartySocket::send_error(const std::string& code, const std::string& message, std::optional<int> retry_after) {
  json::object e{{"type", "error"}, {"code", code}, {"message", message}};
  if (retry_after) e["retry_after"] = *retry_after;
  conn_->send(realtime::make_message(json::serialize(e)));
}

// Runs fn; a refused action becomes an `error` message, never a dropped socket.
template <class Fn>
void PartySocket::guarded(Fn&& fn) {
  try {
    fn();
  } catch (const PartyError& e) {
    send_error(e.ws_code(), e.what(), e.retry_after());
    if (e.ws_code() == "stale_version") conn_->send(service_.playback_message(room_));
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

namespace {
std::optional<double> number(const json::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}
std::optional<std::string> string_field(const json::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}
}  // namespace

void PartySocket::on_message(const std::string& text) {
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return send_error("invalid_json", "Messages must be JSON objects.");
  auto& msg = parsed.as_object();
  auto type = string_field(msg, "type");
  if (!type) return send_error("invalid_message", "Every message needs a type.");

  if (*type == "ping") {
    auto client_time = number(msg, "client_time");
    json::object pong{{"type", "pong"}, {"server_time", now_ms_precise()}};
    pong["client_time"] = client_time ? json::value(*client_time) : json::value(nullptr);
    conn_->send(realtime::make_message(json::serialize(pong)));
  } else if (*type == "video_control") {
    ControlInput in;
    in.action = string_field(msg, "action").value_or("");
    in.position = number(msg, "position");
    in.rate = number(msg, "rate");
    if (auto v = number(msg, "version")) in.version = static_cast<long long>(*v);
    if (in.position && (*in.position < 0 || *in.position > 1e7))
      return send_error("invalid_message", "position must be between 0 and 10^7 seconds.");
    if (in.rate && (*in.rate < 0.25 || *in.rate > 4)) return send_error("invalid_message", "rate must be 0.25 to 4.");
    in_order([this, in] { service_.control(room_, user_.id, in); });
  } else if (*type == "buffering" || *type == "ready") {
    in_order([this, buffering = *type == "buffering"] { service_.buffering(room_, user_.id, buffering); });
  } else if (*type == "typing") {
    auto v = msg.if_contains("is_typing");
    guarded([&] { service_.typing(room_, user_.id, v && v->is_bool() && v->as_bool()); });
  } else if (*type == "sync_request") {
    conn_->send(service_.playback_message(room_));
  } else if (*type == "chat_message" || *type == "reaction") {
    auto content = string_field(msg, "content");
    auto emoji = string_field(msg, "emoji");
    double ts = number(msg, "video_timestamp").value_or(0);
    bool chat = *type == "chat_message";
    if (chat && !content) return send_error("invalid_message", "chat_message needs content.");
    if (!chat && !emoji) return send_error("invalid_message", "reaction needs emoji.");
    in_order([this, chat, content, emoji, ts] {
      if (chat)
        service_.post_chat(user_, room_->id, *content);
      else
        service_.react(user_, room_->id, *emoji, ts);
    });
  } else {
    send_error("unknown_type", "Unknown message type: " + *type);
  }
}

void PartySocket::on_close() {
  bool queued = queue_->post_always([self = shared_from_this()] {
    try {
      self->service_.disconnect(self->room_, self->user_.id, self->conn_);
    } catch (const std::exception& e) {
      // Shared state unreachable: presence heartbeats expire and clean up instead.
      spdlog::warn("party {}: leaving failed: {}", self->room_->id, e.what());
    }
  });
  // Only while the server stops: presence expires on the other nodes instead.
  if (!queued) spdlog::info("party {}: {} left during shutdown", room_->id, user_.id);
}

}  // namespace wp::parties
