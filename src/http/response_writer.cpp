// Writing a Response to the socket, and recording it (metrics, access log).
// Files go from the page cache to the socket with sendfile(2).
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <span>
#include <string_view>
#include <vector>

#include "core/log.hpp"
#include "core/metrics.hpp"
#include "http/response_head.hpp"
#include "http/transport.hpp"

namespace wp::http::transport {

namespace {

constexpr std::size_t kFileStep = 512 * 1024;  // per sendfile call, so that one download cannot hog an I/O thread
constexpr std::size_t kCopyStep = 64 * 1024;   // per read+write when the kernel refuses sendfile

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

beast::error_code last_os_error() { return beast::error_code(errno, beast::system_category()); }

// Buffers in one gathered write. Most answers fit the socket's send buffer:
// they go in one writev on the spot, with no timer and no wait; what the
// socket does not take goes the asynchronous way, bounded by the timeout.
awaitable<beast::error_code> write_buffers(beast::tcp_stream& stream, std::span<const asio::const_buffer> buffers,
                                           std::chrono::seconds timeout) {
  auto& socket = stream.socket();
  beast::error_code ec;
  if (!socket.non_blocking()) socket.non_blocking(true, ec);  // a write on the spot must never wait
  if (ec) co_return ec;
  std::size_t sent = socket.write_some(buffers, ec);
  if (!ec && sent == asio::buffer_size(buffers)) co_return ec;
  if (ec && ec != asio::error::would_block) co_return ec;
  beast::buffers_suffix<std::span<const asio::const_buffer>> rest(buffers);
  rest.consume(sent);
  stream.expires_after(timeout);
  auto [wec, n] = co_await asio::async_write(stream, rest, as_tuple);
  (void)n;
  co_return wec;
}

// A head and a body (either may be empty) in one gathered write.
awaitable<beast::error_code> write_bytes(beast::tcp_stream& stream, std::string_view head, std::string_view body,
                                         std::chrono::seconds timeout) {
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
  co_return co_await write_buffers(stream, buffers, timeout);
}

// Waits until the socket can take more bytes, at most `timeout`.
awaitable<beast::error_code> wait_writable(beast::tcp_stream& stream, std::chrono::seconds timeout) {
  auto& socket = stream.socket();
  asio::steady_timer timer(stream.get_executor());
  timer.expires_after(timeout);
  // Both completions run on the connection's I/O thread; a timer handler that was
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

enum class ZeroCopy { done, unsupported };

// The body is the file's bytes as they are (a Content-Length, not chunked),
// so it goes straight to the socket: the kernel copies file pages to the
// socket, with no read into user space and no buffer per download.
// Advances off and remaining; `unsupported` when the kernel refuses this
// file or socket before the range is done.
awaitable<std::pair<ZeroCopy, beast::error_code>> sendfile_range(beast::tcp_stream& stream, int fd, off_t& off,
                                                                 std::uint64_t& remaining, std::chrono::seconds timeout) {
  auto& socket = stream.socket();
  beast::error_code ec;
  socket.native_non_blocking(true, ec);
  if (ec) co_return std::pair{ZeroCopy::unsupported, beast::error_code{}};
  while (remaining > 0) {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, kFileStep));
    ssize_t n = ::sendfile(socket.native_handle(), fd, &off, want);
    if (n > 0) {
      remaining -= static_cast<std::uint64_t>(n);
      // Let the other connections of this I/O thread have a turn.
      if (remaining > 0) co_await asio::post(stream.get_executor(), use_awaitable);
      continue;
    }
    if (n == 0) co_return std::pair{ZeroCopy::done, beast::error_code(asio::error::eof)};  // shorter than announced
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (auto wec = co_await wait_writable(stream, timeout)) co_return std::pair{ZeroCopy::done, wec};
      continue;
    }
    if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)
      co_return std::pair{ZeroCopy::unsupported, beast::error_code{}};
    co_return std::pair{ZeroCopy::done, last_os_error()};
  }
  co_return std::pair{ZeroCopy::done, beast::error_code{}};
}

// The rest of the range through one buffer, for files the kernel will not sendfile.
awaitable<beast::error_code> copy_range(beast::tcp_stream& stream, int fd, off_t off, std::uint64_t remaining,
                                        std::chrono::seconds timeout) {
  std::vector<char> chunk(kCopyStep);
  while (remaining > 0) {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, chunk.size()));
    ssize_t got = ::pread(fd, chunk.data(), want, off);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) co_return last_os_error();
    if (got == 0) co_return beast::error_code(asio::error::eof);
    off += got;
    remaining -= static_cast<std::uint64_t>(got);
    stream.expires_after(timeout);
    auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(chunk.data(), static_cast<std::size_t>(got)), as_tuple);
    (void)wn;
    if (wec) co_return wec;
  }
  co_return beast::error_code{};
}

// The head, then the file's range.
awaitable<beast::error_code> write_file(beast::tcp_stream& stream, const std::string& head, const FileBody& file,
                                        std::chrono::seconds timeout) {
  FileDescriptor f(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) {
    auto ec = last_os_error();
    spdlog::error("cannot open {}: {}", file.path, ec.message());
    co_return ec;
  }
  if (auto hec = co_await write_bytes(stream, head, {}, timeout)) co_return hec;
  auto off = static_cast<off_t>(file.offset);
  std::uint64_t remaining = file.length;
  auto [how, ec] = co_await sendfile_range(stream, f.fd, off, remaining, timeout);
  if (how == ZeroCopy::done) co_return ec;
  co_return co_await copy_range(stream, f.fd, off, remaining, timeout);
}

// One piece of a streamed body, or the news that making it failed.
struct Piece {
  std::optional<std::string> text;
  bool failed = false;
};

constexpr auto kPoolRetry = std::chrono::milliseconds(20);

// A BodyStream with chunked encoding: each piece is made on the blocking pool
// (it may run SQL) and written before the next is asked for, so memory holds
// one piece however long the body is. A full pool is waited out (briefly, up
// to the read timeout); a failure after the head ends the connection.
awaitable<beast::error_code> write_stream(Transport& t, beast::tcp_stream& stream, const std::string& head,
                                          const std::shared_ptr<BodyStream>& body, std::uint64_t& bytes) {
  const auto timeout = t.opt.read_timeout;
  if (auto hec = co_await write_bytes(stream, head, {}, timeout)) co_return hec;
  auto job = std::make_shared<std::function<Piece()>>([body]() -> Piece {
    try {
      return {body->next(), false};
    } catch (const std::exception& e) {
      spdlog::error("streamed response failed: {}", log::redact_sql_error(e.what()));
      return {std::nullopt, true};
    }
  });
  asio::steady_timer wait(stream.get_executor());
  auto busy_since = std::chrono::steady_clock::now();
  for (;;) {
    auto piece = co_await run_on_pool<Piece>(t.pool, job);
    if (!piece) {
      if (std::chrono::steady_clock::now() - busy_since > timeout) co_return beast::error_code(beast::error::timeout);
      wait.expires_after(kPoolRetry);
      co_await wait.async_wait(as_tuple);
      continue;
    }
    busy_since = std::chrono::steady_clock::now();
    if (piece->failed) co_return beast::error_code(asio::error::operation_aborted);
    if (!piece->text) break;
    if (piece->text->empty()) continue;
    // One chunk (RFC 9112 §7.1): its size in hex, the bytes, a line end.
    auto size = fmt::format("{:x}\r\n", piece->text->size());
    std::array<asio::const_buffer, 3> chunk{asio::buffer(size), asio::buffer(*piece->text), asio::buffer("\r\n", 2)};
    if (auto ec = co_await write_buffers(stream, chunk, timeout)) co_return ec;
    bytes += piece->text->size();
  }
  co_return co_await write_bytes(stream, "0\r\n\r\n", {}, timeout);  // the last chunk, no trailers
}

}  // namespace

awaitable<bool> write_response(Transport& t, beast::tcp_stream& stream, const Request& req, Response& res,
                               bool keep_alive, std::string& head, std::uint64_t* streamed) {
  t.dispatcher.finish(req, res);
  auto timeout = t.opt.read_timeout;
  beast::error_code ec;
  const bool bodiless = res.status == 204 || res.status == 304;
  const bool head_only = req.method == "HEAD" || bodiless;
  const bool chunked = res.stream && !head_only;
  ResponseHead h{.status = res.status, .keep_alive = keep_alive, .content_type = res.content_type,
                 .headers = &res.headers, .content_length = std::nullopt, .chunked = chunked};
  if (!bodiless && !chunked) h.content_length = res.file ? res.file->length : res.body.size();
  std::size_t dropped = 0;
  write_response_head(head, h, &dropped);
  if (dropped > 0)
    spdlog::error("{} header(s) of the answer to {} {} left out: a name or value held CR, LF or NUL", dropped,
                  req.method, req.path);
  if (head_only) {
    ec = co_await write_bytes(stream, head, {}, timeout);
  } else if (chunked) {
    std::uint64_t bytes = 0;
    ec = co_await write_stream(t, stream, head, res.stream, bytes);
    if (streamed) *streamed = bytes;
  } else if (res.file) {
    ec = co_await write_file(stream, head, *res.file, timeout);
  } else {
    ec = co_await write_bytes(stream, head, res.body, timeout);
  }
  co_return !ec;
}

awaitable<void> write_continue(Transport& t, beast::tcp_stream& stream) {
  co_await write_bytes(stream, "HTTP/1.1 100 Continue\r\n\r\n", {}, t.opt.read_timeout);
}

void record_exchange(const Transport& t, const Request& req, const std::string& route_label, int status,
                     std::uint64_t bytes, std::chrono::steady_clock::time_point started) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics().observe_request(route_label, req.method.empty() ? "-" : req.method, status, seconds);
  if (!t.opt.access_log) return;
  log::RequestScope scope(req.request_id);
  log::access({.remote_ip = req.remote_ip, .method = req.method, .target = log::redact_target(req.target),
               .route = route_label, .status = status, .bytes = bytes, .duration_ms = seconds * 1000, .event = {}});
}

}  // namespace wp::http::transport
