// One upgraded socket: the module's endpoint is opened on the pool, then
// reads run in one coroutine on the connection's strand and sends from any
// thread go through a bounded queue to one writer coroutine.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <vector>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "http/transport.hpp"
#include "http/ws_stream.hpp"
#include "realtime/connection.hpp"

namespace wp::http::transport {

namespace websocket = boost::beast::websocket;

namespace {

websocket::close_reason close_reason(int code, const std::string& reason) {
  websocket::close_reason cr;
  cr.code = static_cast<std::uint16_t>(code);
  cr.reason = reason.substr(0, 120);
  return cr;
}

// One accepted WebSocket. There is only ever one write in flight; a client
// that lets its queue fill up, or sends faster than the token bucket allows,
// is closed with 4008.
class WsConn : public realtime::Connection, public DrainableSocket, public std::enable_shared_from_this<WsConn> {
  static constexpr std::size_t kReadStep = 512;

 public:
  WsConn(beast::tcp_stream&& stream, const ServerOptions& opt)
      : ws_(std::move(stream)), opt_(opt), id_(new_uuid()), tokens_(opt.ws_flood_burst),
        last_refill_(std::chrono::steady_clock::now()) {}

  const std::string& id() const override { return id_; }

  bool send(realtime::Message msg) override {
    bool start_writer = false, overflow = false;
    {
      std::lock_guard lock(mu_);
      if (closing_) return false;
      if (queue_.size() - head_ >= opt_.ws_send_queue) {
        overflow = true;
      } else {
        queue_.push_back(std::move(msg));
        start_writer = !writing_ && accepted_;
        if (start_writer) writing_ = true;
      }
    }
    if (overflow) {
      close(realtime::close_code::too_slow, "Too slow: send queue full.");
      return false;
    }
    if (start_writer) asio::co_spawn(ws_.get_executor(), write_loop(shared_from_this()), asio::detached);
    return true;
  }

  void close(int code, const std::string& reason) override {
    {
      std::lock_guard lock(mu_);
      if (closing_) return;
      closing_ = true;
    }
    asio::co_spawn(ws_.get_executor(), close_now(shared_from_this(), code, reason), asio::detached);
  }

  void close_going_away() override { close(realtime::close_code::going_away, "Server shutting down."); }

  void cut() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] { beast::get_lowest_layer(self->ws_).close(); });
  }

  // Accepts the handshake, then reads until the peer or the server closes.
  awaitable<void> run(UpgradeRequest req, std::shared_ptr<realtime::Endpoint> endpoint, int refuse_code,
                      std::string refuse_reason) {
    auto self = shared_from_this();
    websocket::stream_base::timeout t{std::chrono::seconds(10), opt_.ws_idle_timeout, true};
    ws_.set_option(t);
    ws_.read_message_max(opt_.ws_max_frame);
    beast::get_lowest_layer(ws_).expires_never();
    auto [aec] = co_await ws_.async_accept(req, as_tuple);
    req = {};  // the upgrade request is not needed any more, and this frame lives with the socket
    if (aec) {
      // The module may already count this socket in: let it leave.
      if (endpoint) endpoint->on_close();
      co_return;
    }
    if (!endpoint) {
      auto cr = close_reason(refuse_code, refuse_reason);
      co_await ws_.async_close(cr, as_tuple);
      co_return;
    }
    answer_bad_close_codes();
    start_writing_queued();
    co_await read_loop(*endpoint);
    endpoint->on_close();
  }

 private:
  // Beast 1.81 counts every close code from 3000 up as valid and echoes it;
  // RFC 6455 §7.4 ends the range at 4999, so a peer sending 5000 or more is
  // answered 1002. Beast calls this inside its read, after storing the
  // peer's reason and before answering: a close started here makes its read
  // loop find the closing handshake begun, and it sends no frame of its own.
  void answer_bad_close_codes() {
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind != websocket::frame_type::close || ws_.reason().code < 5000) return;
      {
        std::lock_guard lock(mu_);
        if (closing_) return;
        closing_ = true;
      }
      ws_.async_close(close_reason(websocket::close_code::protocol_error, "Invalid close code."),
                      [self = shared_from_this()](beast::error_code) { beast::get_lowest_layer(self->ws_).close(); });
    });
  }

  // Sends queued before the handshake finished wait for it; start them now.
  void start_writing_queued() {
    bool start_writer = false;
    {
      std::lock_guard lock(mu_);
      accepted_ = true;
      start_writer = head_ < queue_.size() && !writing_;
      if (start_writer) writing_ = true;
    }
    if (start_writer) asio::co_spawn(ws_.get_executor(), write_loop(shared_from_this()), asio::detached);
  }

  awaitable<void> read_loop(realtime::Endpoint& endpoint) {
    beast::flat_buffer buffer;
    for (;;) {
      // In small steps: a pending read reserves its step in the buffer, and
      // most sockets wait idle most of the time (Beast still caps the message size).
      auto [ec, n] = co_await ws_.async_read_some(buffer, kReadStep, as_tuple);
      (void)n;
      if (ec) co_return;
      if (!ws_.is_message_done()) continue;
      if (!within_rate()) {
        close(realtime::close_code::too_slow, "Flooding: too many messages.");
        co_return;
      }
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      if (buffer.capacity() > kReadStep) buffer.shrink_to_fit();
      endpoint.on_message(text);
    }
  }

  bool within_rate() {
    auto now = std::chrono::steady_clock::now();
    tokens_ = std::min(opt_.ws_flood_burst,
                       tokens_ + std::chrono::duration<double>(now - last_refill_).count() * opt_.ws_flood_rate);
    last_refill_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  static awaitable<void> write_loop(std::shared_ptr<WsConn> self) {
    for (;;) {
      realtime::Message next;
      {
        std::lock_guard lock(self->mu_);
        if (self->head_ == self->queue_.size() || self->closing_) {
          self->writing_ = false;
          co_return;
        }
        next = std::move(self->queue_[self->head_++]);
        if (self->head_ == self->queue_.size()) {
          // Drained: give the memory back, most sockets are idle most of the time.
          std::vector<realtime::Message>().swap(self->queue_);
          self->head_ = 0;
        }
      }
      self->ws_.text(true);
      auto [ec, n] = co_await self->ws_.async_write(asio::buffer(*next), as_tuple);
      (void)n;
      if (ec) {
        std::lock_guard lock(self->mu_);
        self->writing_ = false;
        co_return;
      }
    }
  }

  static awaitable<void> close_now(std::shared_ptr<WsConn> self, int code, std::string reason) {
    // A peer that does not read cannot receive a close frame either: give
    // the handshake a moment, then cut the TCP connection.
    asio::steady_timer deadline(self->ws_.get_executor());
    deadline.expires_after(std::chrono::seconds(2));
    deadline.async_wait([self](beast::error_code ec) {
      if (!ec) beast::get_lowest_layer(self->ws_).close();
    });
    auto cr = close_reason(code, reason);
    co_await self->ws_.async_close(cr, as_tuple);
    deadline.cancel();
    beast::get_lowest_layer(self->ws_).close();
  }

  websocket::stream<CheckedTcpStream> ws_;  // 1007 for a close reason that is not UTF-8 (ws_stream.hpp)
  const ServerOptions& opt_;
  std::string id_;
  std::mutex mu_;
  std::vector<realtime::Message> queue_;  // [head_, end) waits to be written
  std::size_t head_ = 0;
  bool writing_ = false;
  bool accepted_ = false;
  bool closing_ = false;
  double tokens_;
  std::chrono::steady_clock::time_point last_refill_;
};

// Authentication and the module's checks may touch the database: on the pool.
awaitable<WsOpenResult> open_endpoint(Transport& t, const Route* route, std::shared_ptr<Request> req,
                                      std::shared_ptr<WsConn> conn) {
  auto job = std::make_shared<std::function<WsOpenResult()>>(
      [&t, route, req, conn] { return t.dispatcher.open_ws(*route, *req, conn); });
  auto opened = co_await run_on_pool<WsOpenResult>(t.pool, job);
  co_return opened ? std::move(*opened) : WsOpenResult{nullptr, realtime::close_code::server_error, "Server busy."};
}

void log_open(const Transport& t, const Request& req, const WsOpenResult& result,
              std::chrono::steady_clock::time_point started) {
  if (!t.opt.access_log) return;
  log::RequestScope scope(req.request_id);
  log::access({.remote_ip = req.remote_ip, .method = "GET", .target = log::redact_target(req.target), .route = req.route,
               .status = result.endpoint ? 101 : result.close_code, .bytes = 0,
               .duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
               .event = result.endpoint ? "websocket open" : "websocket refused"});
}

}  // namespace

awaitable<void> websocket_session(Transport& t, std::shared_ptr<beast::tcp_stream> stream, UpgradeRequest upgrade,
                                  std::shared_ptr<Request> req, RouteMatch match) {
  auto started = std::chrono::steady_clock::now();
  req->params = std::move(match.params);
  req->route = match.route->pattern;
  auto conn = std::make_shared<WsConn>(std::move(*stream), t.opt);
  stream.reset();
  auto self = t.connections.add(std::weak_ptr<DrainableSocket>(conn));
  WsOpenResult result = co_await open_endpoint(t, match.route, req, conn);
  log_open(t, *req, result, started);
  // This frame lives as long as the socket: keep nothing in it that the socket no longer needs.
  req.reset();
  match = {};
  co_await conn->run(std::move(upgrade), result.endpoint, result.close_code, result.reason);
  t.connections.remove(self);
  --metrics().open_websockets;
}

}  // namespace wp::http::transport
