// One upgraded socket, framed by hand (RFC 6455): the module's endpoint is
// opened on the pool, the 101 answer queued, then everything runs by plain
// callbacks on the connection's I/O thread. Reads wait for the socket to be
// readable and only then take bytes, through a per-thread buffer, into the
// frame reader (ws_reader.hpp): an idle socket holds no buffer and no
// coroutine frame. Sends from any thread go through the thread's outbox
// (transport.hpp), in order, to the socket: a shared, ready-made frame
// (ws_frame.hpp) is written at once when nothing waits; else it waits in a
// bounded queue (ws_send_queue.hpp) for the one writer, which writes several
// per gathered write. Silence and overdue closes are caught by the thread's
// sweep (SweepList), not by timers per socket.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "http/transport.hpp"
#include "http/ws_frame.hpp"
#include "http/ws_handshake.hpp"
#include "http/ws_reader.hpp"
#include "http/ws_send_queue.hpp"
#include "realtime/connection.hpp"

namespace wp::http::transport {

namespace {

using Clock = std::chrono::steady_clock;

// The closing handshake's patience: a peer that does not answer our close
// frame within this long (or does not read it) is cut.
constexpr auto kCloseWait = std::chrono::seconds(2);

// One accepted WebSocket. There is only ever one write in flight; a client
// that lets its queue fill up, or sends faster than the token bucket allows,
// is closed with 4008.
class WsConn : public OutboxConnection,
               public DrainableSocket,
               public Sweepable,
               public WsReaderSink,
               public std::enable_shared_from_this<WsConn> {
 public:
  WsConn(tcp::socket&& socket, std::string_view key, const ServerOptions& opt, Outbox& outbox)
      : socket_(std::move(socket)), outbox_(outbox), queue_(opt.ws_send_queue), opt_(opt), id_(new_uuid()),
        reader_(opt.ws_max_frame), tokens_(opt.ws_flood_burst), last_refill_(Clock::now()), last_heard_(last_refill_) {
    // First in the queue, whatever is queued before start(): the writer
    // counts as busy until then, so nothing is written before it.
    queue_.push_control(std::make_shared<const std::string>(switching_protocols(key)));
  }

  const std::string& id() const override { return id_; }
  auto executor() { return socket_.get_executor(); }

  // Any thread: through the thread's outbox, which keeps the order of the calls.
  void send(realtime::Message msg) override { outbox_.send(shared_from_this(), std::move(msg)); }
  void close(int code, const std::string& reason) override {
    // Once is enough: a drain asks every 20 ms until the socket is gone.
    if (!close_asked_.exchange(true, std::memory_order_relaxed)) outbox_.close(shared_from_this(), code, reason);
  }
  realtime::Fanout* fanout() override { return &outbox_; }

  // On the I/O thread, from the outbox.
  void send_here(const realtime::Message& msg) override {
    const auto& frame = shared_text_frame(msg);
    if (queue_.idle()) return write_now(frame);
    switch (queue_.push_data(frame)) {
      case SendQueue::Push::start_writer:
        write_next();
        break;
      case SendQueue::Push::full:
        fail(realtime::close_code::too_slow, "Too slow: send queue full.");
        break;
      case SendQueue::Push::queued:
      case SendQueue::Push::closed:
        break;
    }
  }

  void close_here(int code, const std::string& reason) override { fail(static_cast<std::uint16_t>(code), reason); }

  void close_going_away() override { close(realtime::close_code::going_away, "Server shutting down."); }

  void cut() override {
    asio::post(executor(), [self = shared_from_this()] { self->close_socket(); });
  }

  // On the I/O thread: writes the handshake's answer and starts reading.
  // Without an endpoint the socket is refused: opened, then closed at once
  // with refuse_code, as browsers only show a close code, never an HTTP status.
  void start(std::string_view early_bytes, std::shared_ptr<realtime::Endpoint> endpoint, int refuse_code,
             const std::string& refuse_reason, SweepList& sweeps) {
    endpoint_ = std::move(endpoint);
    beast::error_code ec;
    // The writer tries each batch at once and reads take what is there: neither may block.
    socket_.non_blocking(true, ec);
    if (ec) {
      spdlog::error("websocket {}: cannot make the socket non-blocking: {}", id_, ec.message());
      close_socket();
      return end_reading();
    }
    if (endpoint_) {
      queue_.open();  // sends queued before the handshake waited for it
    } else if (queue_.close()) {
      send_close(static_cast<std::uint16_t>(refuse_code), refuse_reason);
    }
    write_next();
    sweeps.add(weak_from_this());
    if (!early_bytes.empty()) take(early_bytes);
    read_next();
  }

  // What ends the socket's life (the connection table, the count): once,
  // when reading ends.
  void on_finish(std::function<void()> finish) { finish_ = std::move(finish); }

  // The thread's sweep, about once a second.
  bool swept(Clock::time_point now) override {
    if (!socket_.is_open()) return false;
    if (close_deadline_ && now >= *close_deadline_) {
      close_socket();
      return false;
    }
    auto silent = now - last_heard_;
    // Bytes already waiting count as heard: the read that takes them may just not have run yet.
    // Asked only when the silence matters (a system call per socket per sweep otherwise).
    beast::error_code ec;
    if (silent >= opt_.ws_idle_timeout / 2 && socket_.available(ec) > 0) {
      last_heard_ = now;
      silent = {};
    }
    // Dropped when silent all along and the ping went unanswered for half of that, two sweeps
    // at least: a loaded machine may take a while to answer, and a live peer must not be cut.
    const auto answer_within = std::max<Clock::duration>(opt_.ws_idle_timeout / 2, 2 * SweepList::kPeriod);
    if (pinged_ && silent >= opt_.ws_idle_timeout && now - pinged_at_ >= answer_within) {
      spdlog::debug("websocket {}: silent for {} s, dropped", id_, opt_.ws_idle_timeout.count());
      close_socket();
      return false;
    }
    // Halfway, a ping: a live peer answers it with a pong, which counts as heard.
    if (silent >= opt_.ws_idle_timeout / 2 && !pinged_ && !close_sent_) {
      pinged_ = true;
      pinged_at_ = now;
      send_control(std::make_shared<const std::string>(server_frame(9, {})));
    }
    return true;
  }

 private:
  // Ends the TCP connection; whatever waits on the socket completes with an error.
  void close_socket() {
    beast::error_code ignored;
    socket_.close(ignored);
  }

  void send_control(Frame frame) {
    if (queue_.push_control(std::move(frame)) == SendQueue::Push::start_writer) write_next();
  }

  // Our close frame, once; the queue refuses data already.
  void send_close(std::uint16_t code, std::string_view reason) {
    if (close_sent_) return;
    close_sent_ = true;
    close_deadline_ = Clock::now() + kCloseWait;
    send_control(std::make_shared<const std::string>(close_frame(code, reason)));
  }

  // Once our close frame is on the wire: after the peer's close, the TCP
  // connection ends; else our side of it ends (FIN), and reading goes on
  // until the peer closes its side too, or the sweep cuts it at the deadline.
  // Closing at once could reset the connection over unread bytes, and the
  // peer might then never see the close frame.
  void close_written() {
    close_written_ = true;
    beast::error_code ignored;
    if (peer_closed_) {
      close_socket();
    } else {
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  // Reading: wait until the socket is readable, then take what is there.
  void read_next() {
    socket_.async_wait(tcp::socket::wait_read,
                       [self = shared_from_this()](beast::error_code ec) { self->on_readable(ec); });
  }

  // Reading goes on until the socket closes, the endpoint's part ends before
  // (a close frame either way, a violation): then bytes are read and dropped.
  void on_readable(beast::error_code ec) {
    if (ec) return end_reading();
    // Shared by the thread's sockets: bytes are parsed before the next read.
    thread_local std::array<char, 64 * 1024> scratch;
    auto n = socket_.read_some(asio::buffer(scratch), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) return read_next();
    if (ec) {
      close_socket();  // the peer's side ended (EOF), or a reset
      return end_reading();
    }
    take(std::string_view(scratch.data(), n));
    read_next();
  }

  void take(std::string_view bytes) {
    last_heard_ = Clock::now();
    pinged_ = false;
    if (parsing_ && !reader_.feed(bytes, *this)) {
      parsing_ = false;
      release_endpoint();
    }
  }

  void release_endpoint() {
    if (auto endpoint = std::move(endpoint_)) endpoint->on_close();
  }

  // The socket is closed: its life ends.
  void end_reading() {
    release_endpoint();
    if (auto f = std::exchange(finish_, nullptr)) f();
  }

  // The frame reader's sink.
  bool on_message(const std::string& text) override {
    if (close_sent_ || !endpoint_) return true;  // closing (or refused): what follows is dropped
    if (!within_rate()) {
      fail(realtime::close_code::too_slow, "Flooding: too many messages.");
      return false;
    }
    try {
      endpoint_->on_message(text);
    } catch (const std::exception& e) {
      // An endpoint must not throw; one that does ends this socket, not the I/O thread.
      spdlog::error("websocket {}: message handler failed: {}", id_, e.what());
      fail(realtime::close_code::server_error, "Server error.");
      return false;
    }
    return true;
  }

  void on_ping(std::string_view payload) override {
    if (!close_sent_) send_control(std::make_shared<const std::string>(server_frame(10, payload)));
  }

  void on_peer_close(std::uint16_t code) override {
    peer_closed_ = true;
    // What was sent before the peer's close was read, this thread's replies too, was
    // accepted: it goes out before our echo.
    outbox_.flush();
    if (queue_.close(true)) {
      send_close(code, {});  // the echo (RFC 6455 §5.5.1), after what was accepted before
    } else if (close_written_) {
      close_socket();
    }
  }

  void on_violation(std::uint16_t code, std::string_view reason) override { fail(code, reason); }

  void fail(std::uint16_t code, std::string_view reason) {
    if (queue_.close()) send_close(code, reason);
  }

  bool within_rate() {
    auto now = Clock::now();
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
    while (queue_.take(batch_)) {
      fill_buffers();
      // The socket usually takes it at once, and then no completion has to be queued and run.
      beast::error_code ec;
      auto n = socket_.write_some(buffers_, ec);
      if (!wrote_all(n, ec) || !batch_written({})) return;
    }
  }

  // An idle socket's frame, written straight from the shared bytes: in the
  // usual case, where the socket takes it whole, nothing is kept or queued.
  void write_now(const Frame& frame) {
    beast::error_code ec;
    auto n = socket_.write_some(asio::buffer(*frame), ec);
    if (!ec && n == frame->size()) return;
    queue_.claim();
    batch_.clear();
    batch_.push_back(frame);
    fill_buffers();
    wrote_all(n, ec);
  }

  void fill_buffers() {
    if (buffers_.capacity() > SendQueue::kKeep && batch_.size() <= SendQueue::kKeep)
      std::vector<asio::const_buffer>().swap(buffers_);
    buffers_.clear();
    for (auto& frame : batch_) buffers_.emplace_back(frame->data(), frame->size());
  }

  // After a write_some of buffers_ took n bytes: true if that was all of
  // them; else the rest goes on asynchronously, or the socket failed.
  bool wrote_all(std::size_t n, beast::error_code ec) {
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
      on_written(ec);
      return false;
    }
    auto rest = skip(buffers_, ec ? 0 : n);
    if (rest.empty()) return true;
    asio::async_write(socket_, std::span<const asio::const_buffer>(rest),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_written(ec); });
    return false;
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
    if (batch_written(ec)) write_next();
  }

  // False when the socket is done for.
  bool batch_written(beast::error_code ec) {
    queue_.written(static_cast<bool>(ec));
    if (ec) {
      close_socket();  // a socket that cannot be written is done: its read fails too
      return false;
    }
    for (auto& frame : batch_)
      if (SendQueue::is_close_frame(*frame)) close_written();
    return true;
  }

  // What a send touches first, so that an outbox can fetch it ahead (kHotBytes).
  tcp::socket socket_;
  Outbox& outbox_;  // of this socket's I/O thread
  SendQueue queue_;
  const ServerOptions& opt_;
  std::string id_;
  std::shared_ptr<realtime::Endpoint> endpoint_;  // while reading
  WsReader reader_;
  std::function<void()> finish_;
  SendQueue::Batch batch_;                   // being written, on the I/O thread
  std::vector<asio::const_buffer> buffers_;  // batch_'s bytes
  double tokens_;
  Clock::time_point last_refill_;
  Clock::time_point last_heard_;
  std::optional<Clock::time_point> close_deadline_;  // once our close frame is queued
  bool parsing_ = true;  // till the frame reader is done
  bool pinged_ = false;  // since the peer was last heard
  Clock::time_point pinged_at_;
  bool close_sent_ = false;
  bool close_written_ = false;
  bool peer_closed_ = false;
  std::atomic<bool> close_asked_ = false;  // by close(), from any thread
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

awaitable<void> websocket_session(Transport& t, std::shared_ptr<beast::tcp_stream> stream, WsUpgrade upgrade) {
  auto started = std::chrono::steady_clock::now();
  auto& req = upgrade.req;
  upgrade.match.params.copy_to(req->params);
  req->route = upgrade.match.route->pattern;
  // A plain socket under the WebSocket: silence is the sweep's to catch.
  auto executor = stream->get_executor();
  auto conn = std::make_shared<WsConn>(stream->release_socket(), upgrade.key, t.opt, t.io.outbox_of(executor));
  stream.reset();
  auto self = t.connections.add(std::weak_ptr<DrainableSocket>(conn));
  conn->on_finish([&t, self] {
    t.connections.remove(self);
    --metrics().open_websockets;
  });
  WsOpenResult result = co_await open_endpoint(t, upgrade.match.route, req, conn);
  log_open(t, *req, result, started);
  conn->start(upgrade.early_bytes, std::move(result.endpoint), result.close_code, result.reason,
              t.io.sweeps_of(executor));
}

}  // namespace wp::http::transport
