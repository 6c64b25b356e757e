#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <cerrno>

#include <filesystem>
#include <deque>
#include <list>
#include <mutex>
#include <thread>

#include "core/blocking_pool.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "http/client_ip.hpp"
#include "http/dispatcher.hpp"
#include "http/json.hpp"

namespace wp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto as_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// Runs job on the blocking pool and resumes the coroutine on its own
// executor with the result; nullopt when the pool's queue is full. The job
// is a named, heap-held std::function: GCC 12 miscompiles lambda temporaries
// carried through co_await expressions.
template <class T>
awaitable<std::optional<T>> run_on_pool(BlockingPool& pool, std::shared_ptr<std::function<T()>> job) {
  auto ex = co_await asio::this_coro::executor;
  auto initiate = [&pool, ex, job](auto handler) {
    auto h = std::make_shared<decltype(handler)>(std::move(handler));
    bool queued = pool.try_submit([h, ex, job] {
      std::optional<T> res = (*job)();
      asio::post(ex, [h, res = std::move(res)]() mutable { (*h)(std::move(res)); });
    });
    if (!queued) asio::post(ex, [h]() mutable { (*h)(std::optional<T>{}); });
  };
  co_return co_await asio::async_initiate<decltype(use_awaitable), void(std::optional<T>)>(initiate, use_awaitable);
}

websocket::close_reason close_reason(int code, const std::string& reason) {
  websocket::close_reason cr;
  cr.code = static_cast<std::uint16_t>(code);
  cr.reason = reason.substr(0, 120);
  return cr;
}

// One accepted WebSocket. Reads run in one coroutine on the connection's
// strand; sends from any thread go into a bounded queue drained by one
// writer coroutine, so there is only ever one write in flight.
class WsConn : public realtime::Connection, public std::enable_shared_from_this<WsConn> {
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

  // Drops the TCP connection without a closing handshake (shutdown deadline).
  void cut() {
    asio::post(ws_.get_executor(), [self = shared_from_this()] { beast::get_lowest_layer(self->ws_).close(); });
  }

  // Accepts the handshake, then reads until the peer or the server closes.
  awaitable<void> run(bhttp::request<bhttp::string_body> req, std::shared_ptr<realtime::Endpoint> endpoint,
                      int refuse_code, std::string refuse_reason) {
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
    bool start_writer = false;
    {
      std::lock_guard lock(mu_);
      accepted_ = true;
      start_writer = head_ < queue_.size() && !writing_;
      if (start_writer) writing_ = true;
    }
    if (start_writer) asio::co_spawn(ws_.get_executor(), write_loop(self), asio::detached);
    beast::flat_buffer buffer;
    for (;;) {
      // In small steps: a pending read reserves its step in the buffer, and
      // most sockets wait idle most of the time (Beast still caps the message size).
      auto [ec, n] = co_await ws_.async_read_some(buffer, kReadStep, as_tuple);
      (void)n;
      if (ec) break;
      if (!ws_.is_message_done()) continue;
      if (!within_rate()) {
        close(realtime::close_code::too_slow, "Flooding: too many messages.");
        break;
      }
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      if (buffer.capacity() > kReadStep) buffer.shrink_to_fit();
      endpoint->on_message(text);
    }
    endpoint->on_close();
  }

 private:
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

  websocket::stream<beast::tcp_stream> ws_;
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

}  // namespace

struct Server::Impl {
  ServerOptions opt;
  Dispatcher& dispatcher;
  BlockingPool& pool;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> abandoned{0};
  static constexpr auto kAbandonGrace = std::chrono::milliseconds(500);
  // Refusals are not counted as connections, so they are bounded on their
  // own: past this many at once a socket is closed without an answer, and
  // each one waits only briefly for the client's header.
  static constexpr int kMaxRefusing = 64;
  static constexpr auto kRefuseReadTimeout = std::chrono::milliseconds(200);
  std::atomic<int> refusing{0};

  // Connections, so that a drain can close the idle ones and a deadline all of them.
  struct Conn {
    std::weak_ptr<beast::tcp_stream> stream;
    asio::any_io_executor strand;
    bool busy = false;
  };
  std::mutex conns_mu;
  std::list<Conn> conns;
  std::list<std::weak_ptr<WsConn>> websockets;  // guarded by conns_mu

  Impl(ServerOptions o, Dispatcher& d, BlockingPool& p)
      : opt(std::move(o)), dispatcher(d), pool(p), ioc(opt.io_threads) {}

  awaitable<void> accept_loop();
  awaitable<void> session(tcp::socket socket);
  awaitable<void> websocket_session(std::shared_ptr<beast::tcp_stream> stream, bhttp::request<bhttp::string_body> upgrade,
                                    std::shared_ptr<Request> req, RouteMatch match);
  awaitable<void> refuse_busy(tcp::socket socket);
  awaitable<void> drain();
  void begin_shutdown();
  Response handle(Request& req, const RouteMatch& m);
  template <class Body>
  awaitable<beast::error_code> write(beast::tcp_stream& stream, bhttp::response<Body>& res);
  awaitable<bool> send(beast::tcp_stream& stream, const Request& req, Response& res, bool keep_alive);
  awaitable<beast::error_code> send_file_range(beast::tcp_stream& stream, bhttp::response<bhttp::buffer_body>& out,
                                               const FileBody& file);
  enum class BodyRead { ok, too_large, closed, malformed };
  template <class Parser>
  awaitable<BodyRead> read_body(beast::tcp_stream& stream, beast::flat_buffer& buffer, Parser& parser,
                                bool timeout_per_chunk);
  std::string spool_path() {
    static std::atomic<unsigned long> n{0};
    return opt.spool_dir + "/upload-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".part";
  }
};

template <class Parser>
awaitable<Server::Impl::BodyRead> Server::Impl::read_body(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                          Parser& parser, bool timeout_per_chunk) {
  beast::error_code ec;
  if (timeout_per_chunk) {
    // Big uploads take long: the timeout bounds silence, not the whole transfer.
    while (!parser.is_done()) {
      stream.expires_after(opt.read_timeout);
      auto [e, n] = co_await bhttp::async_read_some(stream, buffer, parser, as_tuple);
      (void)n;
      if (e) {
        ec = e;
        break;
      }
    }
  } else {
    stream.expires_after(opt.read_timeout);
    auto [e, n] = co_await bhttp::async_read(stream, buffer, parser, as_tuple);
    (void)n;
    ec = e;
  }
  if (!ec) co_return BodyRead::ok;
  if (ec == bhttp::error::body_limit) co_return BodyRead::too_large;
  if (ec == beast::error::timeout || ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::operation_aborted || ec == bhttp::error::partial_message)
    co_return BodyRead::closed;
  co_return BodyRead::malformed;
}

namespace {

// Closes a file descriptor when the coroutine frame ends, however it ends.
struct FileDescriptor {
  int fd = -1;
  explicit FileDescriptor(int f) : fd(f) {}
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
};

// Waits until the socket can take more bytes, at most `timeout`.
awaitable<beast::error_code> wait_writable(beast::tcp_stream& stream, std::chrono::seconds timeout) {
  auto& socket = stream.socket();
  asio::steady_timer timer(stream.get_executor());
  timer.expires_after(timeout);
  // Both completions run on the connection's strand; a timer handler that was
  // already queued when the wait ended must find `done` and leave the socket alone.
  enum class State { waiting, done, timed_out };
  auto state = std::make_shared<State>(State::waiting);
  timer.async_wait([&socket, state](beast::error_code ec) {
    if (ec || *state != State::waiting) return;
    *state = State::timed_out;
    beast::error_code ignored;
    socket.cancel(ignored);
  });
  auto [ec] = co_await socket.async_wait(tcp::socket::wait_write, as_tuple);
  if (*state == State::waiting) *state = State::done;
  timer.cancel();
  co_return *state == State::timed_out ? beast::error_code(beast::error::timeout) : ec;
}

constexpr std::size_t kFileStep = 512 * 1024;  // per sendfile call, so that one download cannot hog an I/O thread

}  // namespace

awaitable<beast::error_code> Server::Impl::send_file_range(beast::tcp_stream& stream,
                                                           bhttp::response<bhttp::buffer_body>& out,
                                                           const FileBody& file) {
  FileDescriptor f(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) {
    beast::error_code ec(errno, beast::system_category());
    spdlog::error("cannot open {}: {}", file.path, ec.message());
    co_return ec;
  }
  out.content_length(file.length);
  out.body().data = nullptr;
  out.body().more = true;
  bhttp::response_serializer<bhttp::buffer_body> sr{out};
  stream.expires_after(opt.read_timeout);
  auto [hec, hn] = co_await bhttp::async_write_header(stream, sr, as_tuple);
  (void)hn;
  if (hec) co_return hec;
  // The body is the file's bytes as they are (a Content-Length, not chunked),
  // so it goes straight to the socket: the kernel copies file pages to the
  // socket (sendfile), with no read into user space and no buffer per download.
  auto off = static_cast<off_t>(file.offset);
  std::uint64_t remaining = file.length;
  auto& socket = stream.socket();
  beast::error_code ec;
  socket.native_non_blocking(true, ec);
  bool zero_copy = !ec;
  while (zero_copy && remaining > 0) {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, kFileStep));
    ssize_t n = ::sendfile(socket.native_handle(), f.fd, &off, want);
    if (n > 0) {
      remaining -= static_cast<std::uint64_t>(n);
      // Let the other connections of this I/O thread have a turn.
      if (remaining > 0) co_await asio::post(stream.get_executor(), use_awaitable);
      continue;
    }
    if (n == 0) co_return beast::error_code(asio::error::eof);  // the file is shorter than announced
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (auto wec = co_await wait_writable(stream, opt.read_timeout)) co_return wec;
      continue;
    }
    if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
      zero_copy = false;  // not for this file or socket: copy through a buffer from here on
      break;
    }
    co_return beast::error_code(errno, beast::system_category());
  }
  if (remaining == 0) co_return beast::error_code{};
  std::vector<char> chunk(64 * 1024);
  while (remaining > 0) {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, chunk.size()));
    ssize_t got = ::pread(f.fd, chunk.data(), want, off);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) co_return beast::error_code(errno, beast::system_category());
    if (got == 0) co_return beast::error_code(asio::error::eof);
    off += got;
    remaining -= static_cast<std::uint64_t>(got);
    stream.expires_after(opt.read_timeout);
    auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(chunk.data(), static_cast<std::size_t>(got)), as_tuple);
    (void)wn;
    if (wec) co_return wec;
  }
  co_return beast::error_code{};
}

Server::Server(ServerOptions options, Dispatcher& dispatcher, BlockingPool& pool)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher, pool)) {}

Server::~Server() = default;

unsigned short Server::listen() {
  auto& a = impl_->acceptor;
  tcp::endpoint ep{asio::ip::make_address(impl_->opt.host), impl_->opt.port};
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(asio::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

void Server::run() {
  auto& im = *impl_;
  im.signals.async_wait([&im](beast::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {} received: draining", sig);
    im.begin_shutdown();
  });
  asio::co_spawn(im.ioc, im.accept_loop(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < im.opt.io_threads; ++i) threads.emplace_back([&im] { im.ioc.run(); });
  im.ioc.run();
  for (auto& t : threads) t.join();
}

std::size_t Server::abandoned() const { return impl_->abandoned.load(); }

void Server::stop() {
  asio::post(impl_->ioc, [im = impl_.get()] { im->begin_shutdown(); });
}

void Server::Impl::begin_shutdown() {
  if (draining.exchange(true)) return;
  beast::error_code ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  asio::co_spawn(ioc, drain(), asio::detached);
}

awaitable<void> Server::Impl::drain() {
  auto deadline = std::chrono::steady_clock::now() + opt.shutdown_timeout;
  // Past the deadline every socket is cut, which ends any session waiting
  // on I/O at once. One still there after the grace waits on a handler that
  // does not return (a database lock, say): it cannot be interrupted, so it
  // is left behind rather than holding the exit.
  auto give_up = deadline + kAbandonGrace;
  asio::steady_timer timer(ioc);
  bool cut_websockets = false;
  for (;;) {
    {
      std::lock_guard lock(conns_mu);
      auto now = std::chrono::steady_clock::now();
      bool late = now >= deadline;
      for (auto& w : websockets) {
        auto c = w.lock();
        if (!c) continue;
        c->close(realtime::close_code::going_away, "Server shutting down.");
        if (late && !cut_websockets) c->cut();
      }
      if (late) cut_websockets = true;
      if (conns.empty() && websockets.empty()) break;
      if (now >= give_up) {
        abandoned = conns.size() + websockets.size();
        spdlog::warn("shutdown timeout: {} request(s) still running after {} s are abandoned", abandoned.load(),
                     opt.shutdown_timeout.count());
        break;
      }
      for (auto& c : conns) {
        if (late || !c.busy)
          asio::post(c.strand, [weak = c.stream] {
            // Runs on the connection's strand, so the session is suspended
            // and, if the stream still exists, it stays alive meanwhile.
            if (auto s = weak.lock()) {
              beast::error_code ec;
              s->socket().shutdown(tcp::socket::shutdown_both, ec);
              s->socket().close(ec);
            }
          });
      }
    }
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(as_tuple);
  }
  if (abandoned == 0) spdlog::info("all connections closed");
  ioc.stop();
}

awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), as_tuple);
    if (ec) {
      if (!acceptor.is_open()) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    // WebSockets hold their sockets too: they count against the same limit.
    if (metrics().open_connections.load() + metrics().open_websockets.load() >= opt.max_connections) {
      if (refusing.load() >= kMaxRefusing) {
        beast::error_code cec;
        socket.close(cec);
        continue;
      }
      ++refusing;
      asio::co_spawn(socket.get_executor(), refuse_busy(std::move(socket)), asio::detached);
      continue;
    }
    // Counted here, not when the session starts, so that a burst of accepts cannot overshoot.
    ++metrics().open_connections;
    auto ex = socket.get_executor();
    asio::co_spawn(ex, session(std::move(socket)), asio::detached);
  }
}

awaitable<void> Server::Impl::refuse_busy(tcp::socket socket) {
  // The header is read (briefly) so that the answer carries the client's
  // request id and the client is not reset before it reads the 503.
  struct Release {
    std::atomic<int>& n;
    ~Release() { --n; }
  } release{refusing};
  auto started = std::chrono::steady_clock::now();
  beast::tcp_stream stream(std::move(socket));
  Request req;
  {
    beast::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) req.remote_ip = ep.address().to_string();
  }
  beast::flat_buffer buffer;
  bhttp::request_parser<bhttp::empty_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
  stream.expires_after(kRefuseReadTimeout);
  auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, as_tuple);
  (void)hn;
  if (!hec) {
    auto& h = parser.get();
    req.method = std::string(h.method_string());
    req.target = std::string(h.target());
    for (auto& f : h) req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  }
  req.request_id = choose_request_id(req.header("X-Request-ID"));
  Response res =
      error_response(Error(ErrorCode::unavailable, "Too many connections.").with_retry_after(1), req.request_id);
  auto bytes = res.body.size();
  co_await send(stream, req, res, false);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics().observe_request("(refused)", req.method.empty() ? "-" : req.method, res.status, seconds);
  if (opt.access_log) {
    log::RequestScope scope(req.request_id);
    log::access({.remote_ip = req.remote_ip, .method = req.method, .target = log::redact_target(req.target), .route = "(refused)",
                 .status = res.status, .bytes = bytes, .duration_ms = seconds * 1000, .event = {}});
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

Response Server::Impl::handle(Request& req, const RouteMatch& m) {
  req.params = m.params;
  req.route = m.route->pattern;
  return dispatcher.run(*m.route, req);
}

template <class Body>
awaitable<beast::error_code> Server::Impl::write(beast::tcp_stream& stream, bhttp::response<Body>& res) {
  stream.expires_after(opt.read_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream, res, as_tuple);
  (void)n;
  co_return ec;
}

awaitable<bool> Server::Impl::send(beast::tcp_stream& stream, const Request& req, Response& res, bool keep_alive) {
  dispatcher.finish(req, res);
  auto fill = [&](auto& out) {
    out.result(static_cast<unsigned>(res.status));
    out.version(11);
    out.keep_alive(keep_alive);
    out.set(bhttp::field::server, "watchparty");
    if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) out.insert(k, v);
  };
  beast::error_code ec;
  if (req.method == "HEAD" || res.status == 204 || res.status == 304) {
    bhttp::response<bhttp::empty_body> out;
    fill(out);
    if (res.status != 204 && res.status != 304)
      out.content_length(res.file ? res.file->length : res.body.size());
    ec = co_await write(stream, out);
  } else if (res.file) {
    bhttp::response<bhttp::buffer_body> out;
    fill(out);
    ec = co_await send_file_range(stream, out, *res.file);
  } else {
    bhttp::response<bhttp::string_body> out;
    fill(out);
    out.body() = std::move(res.body);
    out.prepare_payload();
    ec = co_await write(stream, out);
    res.body = std::move(out.body());
  }
  co_return !ec;
}

awaitable<void> Server::Impl::session(tcp::socket socket) {
  auto stream_owner = std::make_shared<beast::tcp_stream>(std::move(socket));
  auto& stream = *stream_owner;
  std::string remote_ip;
  {
    beast::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) remote_ip = ep.address().to_string();
  }
  std::list<Conn>::iterator self;
  {
    std::lock_guard lock(conns_mu);
    self = conns.insert(conns.end(), Conn{stream_owner, stream.get_executor(), false});
  }
  auto set_busy = [&](bool b) {
    std::lock_guard lock(conns_mu);
    self->busy = b;
  };

  beast::flat_buffer buffer;
  std::optional<bhttp::request<bhttp::string_body>> upgrade_req;
  RouteMatch upgrade_match;
  std::shared_ptr<Request> upgrade_plain;
  for (;;) {
    if (draining) break;
    if (buffer.size() == 0) {
      // Waiting between requests is governed by the idle timeout.
      stream.expires_after(opt.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), as_tuple);
      if (ec) break;
      buffer.commit(n);
    }
    set_busy(true);
    auto started = std::chrono::steady_clock::now();
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
    parser.body_limit(boost::none);
    stream.expires_after(opt.read_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, as_tuple);
    (void)hn;

    Request req;
    req.remote_ip = remote_ip;
    auto fail = [&](Error e) -> Response {
      if (req.request_id.empty()) req.request_id = choose_request_id(std::nullopt);
      return error_response(e, req.request_id);
    };
    std::optional<Response> early;  // answered without a handler, connection then closed
    if (hec == beast::error::timeout || hec == asio::error::eof || hec == asio::error::connection_reset ||
        hec == asio::error::operation_aborted)
      break;
    if (hec == bhttp::error::header_limit) {
      early = fail(Error(ErrorCode::payload_too_large, "Request headers are too large."));
    } else if (hec) {
      early = fail(Error(ErrorCode::validation, "Malformed HTTP request."));
    }

    RouteMatch match;
    bool client_keep_alive = false;
    std::string spool_file;
    if (!early) {
      auto& h = parser.get();
      client_keep_alive = h.keep_alive();
      req.method = std::string(h.method_string());
      req.target = std::string(h.target());
      for (auto& f : h) req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      req.request_id = choose_request_id(req.header("X-Request-ID"));
      req.remote_ip = client_ip(remote_ip, req.header("X-Forwarded-For"), opt.trusted_proxies);
      auto url = boost::urls::parse_origin_form(req.target);
      if (!url) {
        early = fail(Error(ErrorCode::validation, "Malformed request target."));
      } else {
        req.path = url->path();
        req.query_string = std::string(url->encoded_query());
        match = dispatcher.router().match(req.method, req.path);
        std::int64_t limit = match.kind == RouteMatch::found && match.route->max_body ? *match.route->max_body
                                                                                     : opt.max_body_bytes;
        if (h.has_content_length() && parser.content_length() && *parser.content_length() > static_cast<std::uint64_t>(limit)) {
          early = fail(Error(ErrorCode::payload_too_large,
                             "Request body exceeds " + std::to_string(limit) + " bytes."));
        } else {
          parser.body_limit(static_cast<std::uint64_t>(limit));
          if (!parser.is_done() && beast::iequals(h[bhttp::field::expect], "100-continue")) {
            bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
            co_await write(stream, cont);
          }
          BodyRead outcome = BodyRead::ok;
          if (match.kind == RouteMatch::found && match.route->body_to_file) {
            // Large uploads go to a spool file, never into memory.
            req.body_file = spool_path();
            spool_file = req.body_file;
            bhttp::request_parser<bhttp::file_body> file_parser(std::move(parser));
            beast::error_code fec;
            file_parser.get().body().open(req.body_file.c_str(), beast::file_mode::write, fec);
            if (fec) {
              spdlog::error("cannot create spool file {}: {}", req.body_file, fec.message());
              early = fail(Error(ErrorCode::unavailable, "Cannot store the upload right now."));
            } else {
              outcome = co_await read_body(stream, buffer, file_parser, true);
            }
          } else if (!parser.is_done()) {
            outcome = co_await read_body(stream, buffer, parser, false);
            if (outcome == BodyRead::ok) req.body = std::move(parser.get().body());
          } else {
            req.body = std::move(parser.get().body());
          }
          if (outcome == BodyRead::closed) break;
          if (outcome == BodyRead::too_large)
            early = fail(Error(ErrorCode::payload_too_large, "Request body exceeds " + std::to_string(limit) + " bytes."));
          if (outcome == BodyRead::malformed) early = fail(Error(ErrorCode::validation, "Malformed HTTP request body."));
        }
      }
    }

    if (!early && match.kind == RouteMatch::found && match.route->ws_open && websocket::is_upgrade(parser.get())) {
      upgrade_req = parser.release();
      upgrade_match = std::move(match);
      upgrade_plain = std::make_shared<Request>(std::move(req));
      break;
    }

    Response res;
    std::string route_label = match.kind == RouteMatch::found ? match.route->pattern : "(unmatched)";
    if (early) {
      res = std::move(*early);
    } else if (match.kind != RouteMatch::found) {
      res = dispatcher.answer_unmatched(match, req);
    } else if (match.route->inline_io) {
      res = handle(req, match);
    } else {
      auto shared = std::make_shared<Request>(std::move(req));
      auto job = std::make_shared<std::function<Response()>>([this, shared, match] { return handle(*shared, match); });
      auto out = co_await run_on_pool<Response>(pool, job);
      req = std::move(*shared);
      if (out) {
        res = std::move(*out);
      } else {
        res = error_response(Error(ErrorCode::unavailable, "Server is busy; try again shortly.").with_retry_after(1),
                             req.request_id);
      }
    }

    bool keep_alive = !early && client_keep_alive && !draining;
    auto bytes = res.file ? res.file->length : res.body.size();
    bool sent = co_await send(stream, req, res, keep_alive);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics().observe_request(route_label, req.method.empty() ? "-" : req.method, res.status, seconds);
    if (opt.access_log) {
      log::RequestScope scope(req.request_id);
      log::access({.remote_ip = req.remote_ip, .method = req.method, .target = log::redact_target(req.target), .route = route_label,
                   .status = res.status, .bytes = bytes, .duration_ms = seconds * 1000, .event = {}});
    }
    set_busy(false);
    if (!spool_file.empty()) {
      // The handler moved the file if it kept it; otherwise it is garbage now.
      std::error_code rm_ec;
      std::filesystem::remove(spool_file, rm_ec);
    }
    if (!sent || !keep_alive) break;
  }

  {
    std::lock_guard lock(conns_mu);
    conns.erase(self);
  }
  // The socket stays counted as it turns into a WebSocket.
  if (upgrade_req) ++metrics().open_websockets;
  --metrics().open_connections;
  if (upgrade_req) {
    // A new coroutine, so that this HTTP session's frame and buffers are
    // freed: a socket lives long, and memory per socket counts.
    asio::co_spawn(stream.get_executor(),
                   websocket_session(stream_owner, std::move(*upgrade_req), upgrade_plain, std::move(upgrade_match)),
                   asio::detached);
    co_return;
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

awaitable<void> Server::Impl::websocket_session(std::shared_ptr<beast::tcp_stream> stream,
                                                bhttp::request<bhttp::string_body> upgrade, std::shared_ptr<Request> req,
                                                RouteMatch match) {
  auto started = std::chrono::steady_clock::now();
  req->params = match.params;
  req->route = match.route->pattern;
  auto conn = std::make_shared<WsConn>(std::move(*stream), opt);
  std::list<std::weak_ptr<WsConn>>::iterator self;
  {
    std::lock_guard lock(conns_mu);
    self = websockets.insert(websockets.end(), conn);
  }
  // Authentication and the module's checks may touch the database: on the pool.
  const Route* route = match.route;
  auto job = std::make_shared<std::function<WsOpenResult()>>(
      [this, route, req, conn] { return dispatcher.open_ws(*route, *req, conn); });
  auto opened = co_await run_on_pool<WsOpenResult>(pool, job);
  WsOpenResult result = opened ? std::move(*opened) : WsOpenResult{nullptr, realtime::close_code::server_error, "Server busy."};
  if (opt.access_log) {
    log::RequestScope scope(req->request_id);
    log::access({.remote_ip = req->remote_ip, .method = "GET", .target = log::redact_target(req->target), .route = req->route,
                 .status = result.endpoint ? 101 : result.close_code, .bytes = 0,
                 .duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                 .event = result.endpoint ? "websocket open" : "websocket refused"});
  }
  // This frame lives as long as the socket: keep nothing in it that the socket no longer needs.
  job.reset();
  req.reset();
  match = {};
  co_await conn->run(std::move(upgrade), result.endpoint, result.close_code, result.reason);
  {
    std::lock_guard lock(conns_mu);
    websockets.erase(self);
  }
  --metrics().open_websockets;
}

}  // namespace wp::http
