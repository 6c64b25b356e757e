// One upgraded socket: the module's endpoint is opened on the pool, the
// handshake runs in a coroutine, then reads go on by plain callbacks on the
// connection's I/O thread (an idle socket holds no coroutine frame) and sends
// from any thread go through a bounded queue (ws_send_queue.hpp) to one writer on
// that thread, which writes shared, ready-made frames (ws_frame.hpp)
// straight to the TCP socket, several per gathered write.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "http/transport.hpp"
#include "http/ws_frame.hpp"
#include "http/ws_send_queue.hpp"
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
class WsConn : public realtime::Connection,
               public DrainableSocket,
               public ControlWriter,
               public Kickable,
               public std::enable_shared_from_this<WsConn> {
  static constexpr std::size_t kReadStep = 512;

 public:
  WsConn(tcp::socket&& stream, const ServerOptions& opt, KickList& kicks)
      : ws_(std::move(stream)), opt_(opt), kicks_(kicks), id_(new_uuid()), queue_(opt.ws_send_queue),
        tokens_(opt.ws_flood_burst), last_refill_(std::chrono::steady_clock::now()) {
    ws_.next_layer().set_control_writer(this);
  }

  const std::string& id() const override { return id_; }
  auto executor() { return ws_.get_executor(); }

  bool send(realtime::Message msg) override {
    switch (queue_.push_data(shared_text_frame(msg))) {
      case SendQueue::Push::queued:
        return true;
      case SendQueue::Push::start_writer:
        kicks_.add(shared_from_this());
        return true;
      case SendQueue::Push::full:
        close(realtime::close_code::too_slow, "Too slow: send queue full.");
        return false;
      case SendQueue::Push::closed:
        break;
    }
    return false;
  }

  void close(int code, const std::string& reason) override {
    if (!queue_.close()) return;
    asio::co_spawn(ws_.get_executor(), close_now(shared_from_this(), code, reason), asio::detached);
  }

  // On the I/O thread, after a send found the writer idle.
  void kicked() override { write_next(); }

  void close_going_away() override { close(realtime::close_code::going_away, "Server shutting down."); }

  void cut() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->close_socket(); });
  }

  // Beast's own bytes, on its I/O thread (ws_stream.hpp).
  void write_control(Frame bytes, std::unique_ptr<WriteDone> done) override {
    if (queue_.push_control(std::move(bytes), std::move(done)) == SendQueue::Push::start_writer) write_next();
  }

  // Accepts the handshake and starts reading; true when reading started:
  // from then on, the socket ends when its reading does (finish).
  awaitable<bool> run(UpgradeRequest req, std::shared_ptr<realtime::Endpoint> endpoint, int refuse_code,
                      std::string refuse_reason) {
    auto self = shared_from_this();
    websocket::stream_base::timeout t{std::chrono::seconds(10), opt_.ws_idle_timeout, true};
    ws_.set_option(t);
    ws_.read_message_max(opt_.ws_max_frame);
    auto [aec] = co_await ws_.async_accept(req, as_tuple);
    if (aec) {
      // The module may already count this socket in: let it leave.
      if (endpoint) endpoint->on_close();
      co_return false;
    }
    if (!endpoint) {
      auto cr = close_reason(refuse_code, refuse_reason);
      co_await ws_.async_close(cr, as_tuple);
      co_return false;
    }
    answer_bad_close_codes();
    // The writer tries each batch at once (write_next), which must not block.
    beast::error_code nb;
    socket().non_blocking(true, nb);
    direct_ = !nb;
    // Sends queued before the handshake finished waited for it.
    if (queue_.open()) write_next();
    endpoint_ = std::move(endpoint);
    read_next();
    co_return true;
  }

  // What ends the socket's life (the connection table, the count): once,
  // when reading ends, or when run() ended without starting to read.
  void on_finish(std::function<void()> finish) { finish_ = std::move(finish); }
  void finish() {
    if (auto f = std::exchange(finish_, nullptr)) f();
  }

 private:
  tcp::socket& socket() { return ws_.next_layer().next_layer(); }
  // Ends the TCP connection; whatever waits on the socket completes with an error.
  void close_socket() {
    beast::error_code ignored;
    socket().close(ignored);
  }

  // Beast 1.81 counts every close code from 3000 up as valid and echoes it;
  // RFC 6455 §7.4 ends the range at 4999, so a peer sending 5000 or more is
  // answered 1002. Beast calls this inside its read, after storing the
  // peer's reason and before answering: a close started here makes its read
  // loop find the closing handshake begun, and it sends no frame of its own.
  void answer_bad_close_codes() {
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind != websocket::frame_type::close || ws_.reason().code < 5000) return;
      if (!queue_.close()) return;
      ws_.async_close(close_reason(websocket::close_code::protocol_error, "Invalid close code."),
                      [self = shared_from_this()](beast::error_code) { self->close_socket(); });
    });
  }

  // Reading, by plain callbacks like the writer: an idle socket then holds
  // no coroutine frame, only Beast's pending read, and memory per socket counts.
  void read_next() {
    // In small steps: a pending read reserves its step in the buffer, and
    // most sockets wait idle most of the time (Beast still caps the message size).
    ws_.async_read_some(read_buffer_, kReadStep,
                        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return end_reading();
    if (ws_.is_message_done()) {
      if (!within_rate()) {
        close(realtime::close_code::too_slow, "Flooding: too many messages.");
        return end_reading();
      }
      std::string text = beast::buffers_to_string(read_buffer_.data());
      read_buffer_.consume(read_buffer_.size());
      // Given back between messages: Beast asks the buffer for room only
      // once bytes arrive, so an idle socket holds none.
      read_buffer_.shrink_to_fit();
      try {
        endpoint_->on_message(text);
      } catch (const std::exception& e) {
        // An endpoint must not throw; one that does ends this socket, not the I/O thread.
        spdlog::error("websocket {}: message handler failed: {}", id_, e.what());
        close(realtime::close_code::server_error, "Server error.");
        return end_reading();
      }
    }
    read_next();
  }

  void end_reading() {
    auto endpoint = std::move(endpoint_);
    endpoint->on_close();
    finish();
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

  // The writer, on the I/O thread: one gathered write per batch, then the next.
  // Plain callbacks, not a coroutine: this runs once per message per member.
  void write_next() {
    auto& socket = this->socket();
    while (queue_.take(batch_)) {
      if (buffers_.capacity() > SendQueue::kKeep && batch_.size() <= SendQueue::kKeep)
        std::vector<asio::const_buffer>().swap(buffers_);
      buffers_.clear();
      bool beast_waits = false;
      for (auto& item : batch_) {
        buffers_.emplace_back(item.frame->data(), item.frame->size());
        beast_waits = beast_waits || item.done;
      }
      std::span<asio::const_buffer> rest(buffers_);
      // Data only: the socket usually takes it at once, and then no
      // completion has to be queued and run. Beast's bytes always complete
      // later, as its write op expects.
      if (!beast_waits && direct_) {
        beast::error_code ec;
        auto n = socket.write_some(rest, ec);
        if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return on_written(ec);
        rest = skip(rest, ec ? 0 : n);
        if (rest.empty()) {
          queue_.written(false);
          continue;
        }
      }
      asio::async_write(socket, std::span<const asio::const_buffer>(rest),
                        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_written(ec); });
      return;
    }
  }

  static std::span<asio::const_buffer> skip(std::span<asio::const_buffer> bufs, std::size_t n) {
    while (!bufs.empty() && n >= bufs.front().size()) {
      n -= bufs.front().size();
      bufs = bufs.subspan(1);
    }
    if (!bufs.empty()) bufs.front() += n;
    return bufs;
  }

  void on_written(beast::error_code ec) {
    queue_.written(static_cast<bool>(ec));
    // A socket that cannot be written is done: end the read loop too.
    if (ec) close_socket();
    // Beast's writes resume now; one may queue its next bytes at once.
    for (auto& item : batch_)
      if (item.done) {
        auto done = std::move(item.done);
        (*done)(ec);
      }
    write_next();
  }

  static awaitable<void> close_now(std::shared_ptr<WsConn> self, int code, std::string reason) {
    // A peer that does not read cannot receive a close frame either: give
    // the handshake a moment, then cut the TCP connection.
    asio::steady_timer deadline(self->ws_.get_executor());
    deadline.expires_after(std::chrono::seconds(2));
    deadline.async_wait([self](beast::error_code ec) {
      if (!ec) self->close_socket();
    });
    auto cr = close_reason(code, reason);
    co_await self->ws_.async_close(cr, as_tuple);
    deadline.cancel();
    self->close_socket();
  }

  // No permessage-deflate (its state is left out): every member gets the same frame bytes.
  websocket::stream<CheckedTcpStream, false> ws_;  // 1007 for a close reason that is not UTF-8 (ws_stream.hpp)
  const ServerOptions& opt_;
  KickList& kicks_;  // of this socket's I/O thread
  std::string id_;
  std::shared_ptr<realtime::Endpoint> endpoint_;  // while reading
  beast::flat_buffer read_buffer_;
  std::function<void()> finish_;
  SendQueue queue_;
  SendQueue::Batch batch_;                 // being written, on the I/O thread
  std::vector<asio::const_buffer> buffers_;  // batch_'s bytes
  bool direct_ = false;                      // the socket is non-blocking: try writes at once
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

void log_failure(const WsConn& conn, const std::exception_ptr& failed) {
  try {
    std::rethrow_exception(failed);
  } catch (const std::exception& e) {
    spdlog::error("websocket {}: the handshake failed: {}", conn.id(), e.what());
  } catch (...) {
    spdlog::error("websocket {}: the handshake failed: an exception of unknown type", conn.id());
  }
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
  match.params.copy_to(req->params);
  req->route = match.route->pattern;
  // A plain socket under the WebSocket: Beast's stream has timeouts of its own.
  auto& kicks = t.io.kicks_of(stream->get_executor());
  auto conn = std::make_shared<WsConn>(stream->release_socket(), t.opt, kicks);
  stream.reset();
  auto self = t.connections.add(std::weak_ptr<DrainableSocket>(conn));
  WsOpenResult result = co_await open_endpoint(t, match.route, req, conn);
  log_open(t, *req, result, started);
  // The socket's life goes on without this frame (the route match, the request): the
  // handshake in a coroutine of its own, then plain callbacks.
  conn->on_finish([&t, self] {
    t.connections.remove(self);
    --metrics().open_websockets;
  });
  auto executor = conn->executor();
  asio::co_spawn(executor, conn->run(std::move(upgrade), result.endpoint, result.close_code, result.reason),
                 [conn](std::exception_ptr failed, bool reading) {
                   if (failed) log_failure(*conn, failed);
                   if (failed || !reading) conn->finish();
                 });
}

}  // namespace wp::http::transport
