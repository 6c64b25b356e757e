// Accepting connections: each one is counted against max_connections before
// its session starts; past the limit the client gets a 503 and is closed.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "http/json.hpp"
#include "http/transport.hpp"

namespace wp::http::transport {

unsigned short Listener::listen() {
  tcp::endpoint ep{asio::ip::make_address(t_.opt.host), t_.opt.port};
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint().port();
}

void Listener::start() { asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached); }

void Listener::close() {
  asio::dispatch(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
}

awaitable<void> Listener::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(t_.io.next(), as_tuple);
    if (ec) {
      if (!acceptor_.is_open()) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    // WebSockets hold their sockets too: they count against the same limit.
    if (metrics().open_connections.load() + metrics().open_websockets.load() >= t_.opt.max_connections) {
      if (refusing_.load() >= kMaxRefusing) {
        beast::error_code cec;
        socket.close(cec);
        continue;
      }
      ++refusing_;
      asio::co_spawn(socket.get_executor(), refuse_busy(std::move(socket)), asio::detached);
      continue;
    }
    // Counted here, not when the session starts, so that a burst of accepts cannot overshoot.
    ++metrics().open_connections;
    auto ex = socket.get_executor();
    asio::co_spawn(ex, http_session(t_, std::move(socket)), asio::detached);
  }
}

awaitable<void> Listener::refuse_busy(tcp::socket socket) {
  // The header is read (briefly) so that the answer carries the client's
  // request id and the client is not reset before it reads the 503.
  struct Release {
    std::atomic<int>& n;
    ~Release() { --n; }
  } release{refusing_};
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
  parser.header_limit(static_cast<std::uint32_t>(t_.opt.max_header_bytes));
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
  std::string head;
  co_await write_response(t_, stream, req, res, false, head);
  record_exchange(t_, req, "(refused)", res.status, bytes, started);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace wp::http::transport
