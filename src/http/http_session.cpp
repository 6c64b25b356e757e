// One HTTP/1.1 connection: requests are read one after the other (keep-alive),
// each in named steps: wait for it, read its head, read its body (or spool it
// to a file), dispatch it, write the answer and record it. An upgrade request
// for a WebSocket route leaves the loop and becomes a websocket_session.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/metrics.hpp"
#include "http/client_ip.hpp"
#include "http/framing.hpp"
#include "http/json.hpp"
#include "http/transport.hpp"

namespace wp::http::transport {

namespace {

// The connection ended (or timed out) while a request was being read: nothing to answer.
bool connection_gone(const beast::error_code& ec) {
  return ec == beast::error::timeout || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted;
}

enum class BodyRead { ok, too_large, closed, malformed };

BodyRead body_outcome(const beast::error_code& ec) {
  if (!ec) return BodyRead::ok;
  if (ec == bhttp::error::body_limit) return BodyRead::too_large;
  if (connection_gone(ec) || ec == bhttp::error::partial_message) return BodyRead::closed;
  return BodyRead::malformed;
}

// A connection's read deadline, checked by its I/O thread's sweep (about
// once a second) instead of a timer armed and cancelled around every read:
// past it, the pending read is cancelled, and operation_aborted ends the
// connection as a timeout does (connection_gone). Armed only while a read
// is awaited, so a handler's time never counts.
class ReadDeadline final : public Sweepable {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ReadDeadline(tcp::socket& socket) : socket_(socket) {}

  // Disarms when it goes out of scope.
  class Armed {
   public:
    explicit Armed(ReadDeadline& d) : d_(d) {}
    Armed(const Armed&) = delete;
    Armed& operator=(const Armed&) = delete;
    ~Armed() { d_.due_ = Clock::time_point::max(); }

   private:
    ReadDeadline& d_;
  };
  [[nodiscard]] Armed arm(std::chrono::seconds timeout) {
    rearm(timeout);
    return Armed(*this);
  }
  void rearm(std::chrono::seconds timeout) { due_ = Clock::now() + timeout; }
  bool swept(Clock::time_point now) override {
    if (now >= due_) {
      beast::error_code ignored;
      socket_.cancel(ignored);
    }
    return true;
  }

 private:
  tcp::socket& socket_;
  Clock::time_point due_ = Clock::time_point::max();
};

// A request line's later 1.x minor version becomes 1.1 in the buffer before
// Beast (which knows 1.0 and 1.1 only) parses it (framing.hpp,
// request_line_version). True once the request line was seen whole.
bool fit_request_version(beast::flat_buffer& buffer) {
  auto data = buffer.data();
  auto* bytes = static_cast<char*>(data.data());
  std::size_t minor_at = 0;
  auto fit = request_line_version({bytes, data.size()}, &minor_at);
  if (fit == RequestVersion::read_as_1_1) bytes[minor_at] = '1';
  return fit != RequestVersion::incomplete;
}

// The file a body_to_file route receives its body in. Whatever the handler
// did not move away is garbage once the request is answered, or when the
// client went away halfway.
class SpoolFile {
 public:
  SpoolFile() = default;
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  ~SpoolFile() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove(path_, ec);
  }
  const std::string& create_name(const std::string& dir) {
    static std::atomic<unsigned long> n{0};
    path_ = dir + "/upload-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".part";
    return path_;
  }

 private:
  std::string path_;
};

// One request on its way through the session.
struct Exchange {
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bhttp::request_parser<bhttp::string_body> parser;
  Request req;
  RouteMatch match;
  bool client_keep_alive = false;
  std::optional<Response> early;  // answered without a handler; the connection then closes
  SpoolFile spool;

  void fail(const Error& e) {
    if (req.request_id.empty()) req.request_id = choose_request_id(std::nullopt);
    early = error_response(e, req.request_id);
  }
  bool found() const { return match.kind == RouteMatch::found; }
  bool wants_websocket() {
    return !early && found() && match.route->ws_open && boost::beast::websocket::is_upgrade(parser.get());
  }
};

class HttpSession {
 public:
  HttpSession(Transport& t, tcp::socket socket)
      : t_(t),
        stream_owner_(std::make_shared<beast::tcp_stream>(std::move(socket))),
        stream_(*stream_owner_),
        deadline_(std::make_shared<ReadDeadline>(stream_.socket())) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip_ = ep.address().to_string();
    // Reads go to the socket itself, bounded by the sweep, not by the stream's timer.
    t_.io.sweeps_of(stream_.get_executor()).add(deadline_);
    entry_ = t_.connections.add(stream_owner_, busy_);
  }

  awaitable<void> run() {
    std::optional<WsUpgrade> upgrade;
    while (!t_.draining) {
      trim_if_due();
      if (!co_await await_request()) break;
      busy_ = true;
      Exchange x;
      if (!co_await read_request(x)) break;
      trim_due_ = x.req.body.size() >= memory::kTrimAfterBytes;
      if (x.wants_websocket() && x.req.header("Sec-WebSocket-Version") != "13") {
        x.fail(Error(ErrorCode::validation, "Sec-WebSocket-Version must be 13."));
        x.early->set_header("Sec-WebSocket-Version", "13");  // RFC 6455 §4.4
      } else if (x.wants_websocket() && !is_websocket_key(x.req.header("Sec-WebSocket-Key").value_or(""))) {
        x.fail(Error(ErrorCode::validation, "Sec-WebSocket-Key must be the base64 form of 16 bytes."));
      } else if (x.wants_websocket()) {
        upgrade.emplace(WsUpgrade{*x.req.header("Sec-WebSocket-Key"), beast::buffers_to_string(buffer_.data()),
                                  std::make_shared<Request>(std::move(x.req)), std::move(x.match)});
        break;
      }
      Response res = co_await dispatch(x);
      if (!co_await respond(x, std::move(res))) break;
    }
    t_.connections.remove(entry_);
    trim_if_due();
    if (upgrade) {
      hand_over(std::move(*upgrade));
      co_return;
    }
    --metrics().open_connections;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

 private:
  // A large body has been freed (with the document parsed from it): give
  // the memory back. One trim at most is pending, 100 ms after the first
  // ask (a burst costs ten trims a second, not one per body), and it runs
  // on the pool, past the queue's bound since it is short and alone: a trim
  // walks the allocator's lists, which an I/O thread must not wait for.
  void trim_if_due() {
    if (!trim_due_) return;
    trim_due_ = false;
    if (!memory::claim_trim()) return;
    auto timer = std::make_shared<asio::steady_timer>(stream_.get_executor(), std::chrono::milliseconds(100));
    timer->async_wait([timer, &pool = t_.pool](beast::error_code) {
      [[maybe_unused]] bool queued = pool.submit_always([] { memory::trim(); });  // false only while stopping
    });
  }

  // Waiting between requests is governed by the idle timeout.
  awaitable<bool> await_request() {
    if (buffer_.size() > 0) co_return true;
    auto armed = deadline_->arm(t_.opt.idle_timeout);
    auto [ec, n] = co_await stream_.socket().async_read_some(buffer_.prepare(4096), as_tuple);
    if (ec) co_return false;
    buffer_.commit(n);
    co_return true;
  }

  // Feeds the parser from the socket until its head (head_only) or the whole
  // message is parsed. Beast waits for a CRLF that a bare LF never brings, so
  // when the parser needs more while the head or a chunk line it holds has
  // another line ending, the framing is refused at once (bad_line_ending).
  // The read timeout bounds the whole read, or each read when per_read (big
  // uploads: it then bounds silence, not the transfer).
  template <class Parser>
  awaitable<beast::error_code> feed(Parser& parser, bool head_only, bool per_read) {
    auto finished = [&] { return head_only ? parser.is_header_done() : parser.is_done(); };
    bool version_fitted = !head_only;
    auto armed = deadline_->arm(t_.opt.read_timeout);
    for (;;) {
      if (!version_fitted) version_fitted = fit_request_version(buffer_);
      while (buffer_.size() > 0 && !finished()) {
        beast::error_code ec;
        auto used = parser.put(buffer_.data(), ec);
        buffer_.consume(used);
        if (ec == bhttp::error::need_more) break;
        if (ec) co_return ec;
      }
      if (finished()) co_return beast::error_code{};
      if ((!parser.is_header_done() || parser.chunked()) &&
          has_bare_line_ending({static_cast<const char*>(buffer_.data().data()), buffer_.size()}))
        co_return bhttp::error::bad_line_ending;
      if (per_read) deadline_->rearm(t_.opt.read_timeout);
      auto [ec, n] = co_await stream_.socket().async_read_some(buffer_.prepare(64 * 1024), as_tuple);
      buffer_.commit(n);
      if (ec == asio::error::eof) {
        beast::error_code eof_ec;
        parser.put_eof(eof_ec);
        co_return eof_ec ? eof_ec : beast::error_code(asio::error::eof);
      }
      if (ec) co_return ec;
    }
  }

  // Head, then body; false when the connection ended before the request did.
  awaitable<bool> read_request(Exchange& x) {
    x.req.remote_ip = remote_ip_;
    x.parser.header_limit(static_cast<std::uint32_t>(t_.opt.max_header_bytes));
    x.parser.body_limit(boost::none);
    auto ec = co_await feed(x.parser, true, false);
    if (connection_gone(ec) || ec == bhttp::error::partial_message) co_return false;
    if (ec == bhttp::error::header_limit) {
      x.fail(Error(ErrorCode::header_too_large, "Request headers are too large."));
    } else if (ec) {
      x.fail(Error(ErrorCode::validation, "Malformed HTTP request."));
    }
    if (x.early || !interpret_head(x)) co_return true;
    co_return co_await read_body(x);
  }

  // The head as a plain Request, matched to its route; false when it is answered already.
  bool interpret_head(Exchange& x) {
    auto& h = x.parser.get();
    x.client_keep_alive = h.keep_alive();
    x.req.method = std::string(h.method_string());
    x.req.target = std::string(h.target());
    x.req.headers.reserve(static_cast<std::size_t>(std::distance(h.begin(), h.end())));
    for (auto& f : h) x.req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    if (auto refused = framing_error(x.req.headers)) {
      x.fail(*refused);
      return false;
    }
    x.req.request_id = choose_request_id(x.req.header("X-Request-ID"));
    x.req.remote_ip = client_ip(remote_ip_, x.req.header("X-Forwarded-For"), t_.opt.trusted_proxies);
    auto url = boost::urls::parse_origin_form(x.req.target);
    if (!url) {
      x.fail(Error(ErrorCode::validation, "Malformed request target."));
      return false;
    }
    x.req.path = url->path();
    x.req.query_string = std::string(url->encoded_query());
    x.match = t_.dispatcher.router().match(x.req.method, x.req.path);
    return true;
  }

  static Error body_too_large(std::int64_t limit) {
    return Error(ErrorCode::payload_too_large, "Request body exceeds " + std::to_string(limit) + " bytes.");
  }

  // The route is known now, so its own body limit applies. False when the
  // connection ended before the body did.
  awaitable<bool> read_body(Exchange& x) {
    auto& h = x.parser.get();
    std::int64_t limit = x.found() && x.match.route->max_body ? *x.match.route->max_body : t_.opt.max_body_bytes;
    if (h.has_content_length() && x.parser.content_length() &&
        *x.parser.content_length() > static_cast<std::uint64_t>(limit)) {
      x.fail(body_too_large(limit));
      co_return true;
    }
    x.parser.body_limit(static_cast<std::uint64_t>(limit));
    if (!x.parser.is_done() && beast::iequals(h[bhttp::field::expect], "100-continue"))
      co_await write_continue(t_, stream_);
    BodyRead outcome = BodyRead::ok;
    if (x.found() && x.match.route->body_to_file) {
      outcome = co_await spool_body(x);
    } else if (!x.parser.is_done()) {
      outcome = body_outcome(co_await feed(x.parser, false, false));
      if (outcome == BodyRead::ok) x.req.body = std::move(x.parser.get().body());
    } else {
      x.req.body = std::move(x.parser.get().body());
    }
    if (outcome == BodyRead::closed) co_return false;
    if (outcome == BodyRead::too_large) x.fail(body_too_large(limit));
    if (outcome == BodyRead::malformed) x.fail(Error(ErrorCode::validation, "Malformed HTTP request body."));
    co_return true;
  }

  // Large uploads go to a spool file, never into memory.
  awaitable<BodyRead> spool_body(Exchange& x) {
    x.req.body_file = x.spool.create_name(t_.opt.spool_dir);
    bhttp::request_parser<bhttp::file_body> file_parser(std::move(x.parser));
    beast::error_code ec;
    file_parser.get().body().open(x.req.body_file.c_str(), beast::file_mode::write, ec);
    if (ec) {
      spdlog::error("cannot create spool file {}: {}", x.req.body_file, ec.message());
      x.fail(Error(ErrorCode::unavailable, "Cannot store the upload right now."));
      co_return BodyRead::ok;
    }
    co_return body_outcome(co_await feed(file_parser, false, true));
  }

  // Unmatched paths are answered here; handlers run on the blocking pool
  // unless they are marked inline_io or answer from memory, bulk ones on the
  // bulk pool unless the I/O threads lag: then they are refused before any of
  // their work is done.
  awaitable<Response> dispatch(Exchange& x) {
    if (x.early) co_return *x.early;
    if (!x.found()) co_return t_.dispatcher.answer_unmatched(x.match, x.req);
    const Route* route = x.match.route;
    x.match.params.copy_to(x.req.params);
    x.req.route = route->pattern;
    if (route->inline_io) co_return t_.dispatcher.run(*route, x.req);
    if (auto answer = t_.dispatcher.run_from_memory(*route, x.req)) co_return std::move(*answer);
    if (route->bulk) {
      auto now = std::chrono::steady_clock::now();
      if (t_.lag.shedding(now)) {
        t_.lag.count_shed();
        co_return error_response(Error(ErrorCode::unavailable, "The server is busy with realtime traffic; send this "
                                                               "again after Retry-After. Nothing of it was kept.")
                                     .with_retry_after(t_.lag.retry_after_s(now)),
                                 x.req.request_id);
      }
    }
    auto shared = std::make_shared<Request>(std::move(x.req));
    auto job = std::make_shared<std::function<Response()>>(
        [&dispatcher = t_.dispatcher, shared, route] { return dispatcher.run(*route, *shared); });
    auto out = co_await run_on_pool<Response>(route->bulk ? t_.bulk_pool : t_.pool, job);
    x.req = std::move(*shared);
    if (out) co_return std::move(*out);
    co_return error_response(Error(ErrorCode::unavailable, "Server is busy; try again shortly.").with_retry_after(1),
                             x.req.request_id);
  }

  // Writes and records the answer; true when the connection serves another request.
  awaitable<bool> respond(Exchange& x, Response res) {
    bool keep_alive = !x.early && x.client_keep_alive && !t_.draining;
    std::uint64_t bytes = res.file ? res.file->length : res.body.size();
    bool sent = co_await write_response(t_, stream_, x.req, res, keep_alive, head_, &bytes);
    record_exchange(t_, x.req, x.found() ? x.match.route->pattern : "(unmatched)", res.status, bytes, x.started);
    busy_ = false;
    co_return sent && keep_alive;
  }

  // The socket stays counted as it turns into a WebSocket. A new coroutine,
  // so that this session's frame and buffers are freed: a socket lives long,
  // and memory per socket counts.
  void hand_over(WsUpgrade u) {
    ++metrics().open_websockets;
    --metrics().open_connections;
    asio::co_spawn(stream_.get_executor(),
                   websocket_session(t_, stream_owner_, std::move(u)),
                   asio::detached);
  }

  Transport& t_;
  std::shared_ptr<beast::tcp_stream> stream_owner_;
  beast::tcp_stream& stream_;
  std::shared_ptr<ReadDeadline> deadline_;  // swept by the I/O thread's SweepList, which holds it weakly
  std::string remote_ip_;
  beast::flat_buffer buffer_;
  std::string head_;  // the answers' heads, the buffer reused
  std::atomic<bool> busy_{false};  // read by a drain (ConnectionTable)
  ConnectionTable::HttpHandle entry_;
  bool trim_due_ = false;
};

}  // namespace

awaitable<void> http_session(Transport& t, tcp::socket socket) {
  HttpSession session(t, std::move(socket));
  co_await session.run();
}

}  // namespace wp::http::transport
