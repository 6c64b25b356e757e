#pragma once
// The network side: one port for HTTP/1.1 (keep-alive) and, later,
// WebSocket upgrades. Beast and Asio live behind this interface only.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/lag_gate.hpp"

namespace wp {
class BlockingPool;
}

namespace wp::http {

class Dispatcher;

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;
  int io_threads = 2;
  int max_connections = 10000;
  int max_header_bytes = 16 * 1024;
  std::int64_t max_body_bytes = 64 * 1024;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{75};
  std::chrono::seconds shutdown_timeout{10};
  bool access_log = true;
  std::string spool_dir = "./data/tmp";  // where body_to_file routes receive their bodies
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For names the client
  // WebSockets
  std::size_t ws_send_queue = 256;  // messages queued per connection before it is cut (4008)
  double ws_flood_burst = 60;       // messages a client may send in a burst ...
  double ws_flood_rate = 20;        // ... and per second sustained, before it is cut (4008)
  std::chrono::seconds ws_idle_timeout{60};
  std::size_t ws_max_frame = 64 * 1024;
  // The I/O threads' lag probe, and when bulk routes are refused for it.
  LagSettings lag;
};

class Server {
 public:
  // Bulk routes run on bulk_pool (null: on pool, like the others).
  Server(ServerOptions options, Dispatcher& dispatcher, BlockingPool& pool, BlockingPool* bulk_pool = nullptr);
  ~Server();

  // Binds and listens; returns the port (useful when 0 was asked for).
  unsigned short listen();
  // Serves until SIGTERM/SIGINT or stop(), then drains: no new connections,
  // in-flight requests finish, idle connections close; after
  // shutdown_timeout the rest are cut. Returns when all is closed, or,
  // when a handler does not return, shortly after the timeout anyway.
  void run();
  void stop();
  // Called on the I/O thread at each SIGHUP while serving: it must not block
  // (hand the work to the pool). Set before run().
  void on_reload(std::function<void()> reload);
  // Requests still running when run() gave up on them; their blocking-pool
  // threads are stuck, so the caller must not wait for the pool forever.
  std::size_t abandoned() const;
  // The I/O threads' lag and the bulk requests refused for it (metrics).
  const LagGate& lag() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wp::http
