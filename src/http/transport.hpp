#pragma once
// What the transport's files share, and only they may include this header:
// server.cpp (start, drain, stop), listener.cpp (accept, count, refuse),
// http_session.cpp (one HTTP/1.1 connection), response_writer.cpp (write a
// Response, record it) and websocket_session.cpp (one upgraded socket).
// Beast and Asio stay inside these files so that the rest compiles fast.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/blocking_pool.hpp"
#include "http/dispatcher.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "realtime/connection.hpp"

// GCC 12 inlines Asio's recycling coroutine-frame allocator into some
// coroutines and then takes the frame's own operator delete for a mismatch
// (GCC PR 109224, a false positive). Only the transport's files see this.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace wp::http::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
inline constexpr auto as_tuple = asio::as_tuple(asio::use_awaitable);

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

// A WebSocket as the drain sees it (websocket_session.cpp has the real one).
class DrainableSocket {
 public:
  // Starts the closing handshake with 1001; thread-safe, idempotent.
  virtual void close_going_away() = 0;
  // Drops the TCP connection without a closing handshake.
  virtual void cut() = 0;

 protected:
  ~DrainableSocket() = default;
};

// Every open socket, so that a drain can close the idle ones and, at the
// deadline, all of them.
class ConnectionTable {
  struct HttpEntry {
    std::weak_ptr<beast::tcp_stream> stream;
    asio::any_io_executor executor;  // the connection's I/O thread
    // The session's own flag, set between reading a request's first byte and
    // writing its answer; the session outlives its entry.
    const std::atomic<bool>* busy;
  };

 public:
  using HttpHandle = std::list<HttpEntry>::iterator;
  using WsHandle = std::list<std::weak_ptr<DrainableSocket>>::iterator;

  HttpHandle add(const std::shared_ptr<beast::tcp_stream>& stream, const std::atomic<bool>& busy);
  void remove(HttpHandle h);
  WsHandle add(std::weak_ptr<DrainableSocket> ws);
  void remove(WsHandle h);

  // One round of a drain: asks every WebSocket to close (and cuts them when
  // cut_websockets), closes idle HTTP connections (all when late), and
  // returns how many sockets are still open.
  std::size_t close_round(bool late, bool cut_websockets);

 private:
  std::mutex mu_;
  std::list<HttpEntry> http_;
  std::list<std::weak_ptr<DrainableSocket>> websockets_;
};

// A connection that takes what its thread's outbox hands it, on that thread.
class OutboxConnection : public realtime::Connection {
 public:
  // How much of a connection a send reads first, from its start.
  static constexpr std::size_t kHotBytes = 256;
  virtual void send_here(const realtime::Message& msg) = 0;
  virtual void close_here(int code, const std::string& reason) = 0;
};

// Everything sent to the WebSockets of one I/O thread, in the order it was
// sent: a message for one, a message for many (a room's fan-out, one entry
// for all of its members here), a close. The thread takes what has gathered in
// one handler and hands it on by plain calls, so a socket's queue is only ever
// touched by its own thread, and a fan-out costs one post per thread.
class Outbox : public realtime::Fanout {
 public:
  explicit Outbox(asio::io_context& ioc) : ioc_(ioc) {}
  // Any thread. Members are OutboxConnections of this outbox.
  void send_each(Members members, realtime::Message msg) override;
  void send(std::shared_ptr<OutboxConnection> one, realtime::Message msg);
  void close(std::shared_ptr<OutboxConnection> one, int code, const std::string& reason);
  // On the I/O thread (never from within a hand-over): hands on what waits
  // now, as the posted handler would.
  void flush();

 private:
  struct Entry {
    enum class Kind { send, send_each, close } kind;
    Members many;                          // send_each
    std::shared_ptr<OutboxConnection> one;  // send, close
    realtime::Message msg;                  // a close's reason
    int close_code = 0;
  };
  void add(Entry entry);

  asio::io_context& ioc_;
  std::mutex mu_;
  std::vector<Entry> waiting_;
  bool posted_ = false;
};

// Something a socket checks about once a second on its I/O thread (a
// WebSocket: is its peer silent, is its close overdue). False: it is done,
// and leaves the list. It must not add to the list meanwhile.
class Sweepable {
 public:
  virtual bool swept(std::chrono::steady_clock::time_point now) = 0;

 protected:
  ~Sweepable() = default;
};

// The sockets of one I/O thread swept by one coarse timer, instead of a
// timer of their own armed on every read and write. The timer runs while
// the list is not empty.
class SweepList {
 public:
  static constexpr auto kPeriod = std::chrono::seconds(1);
  explicit SweepList(asio::io_context& ioc) : timer_(ioc) {}
  void add(std::weak_ptr<Sweepable> socket);  // on the I/O thread

 private:
  void arm();
  void sweep();

  asio::steady_timer timer_;
  std::vector<std::weak_ptr<Sweepable>> sockets_;
  bool armed_ = false;
};

// One io_context per I/O thread, each run by that thread alone. A
// connection lives on one of them for its whole life, so its handlers never
// run at once and need no strand, and the threads share no scheduler lock:
// what one thread posts for itself stays in its private queue.
class IoContexts {
 public:
  explicit IoContexts(int threads);
  // The first one: the acceptor, the signals and the drain live there.
  asio::io_context& main() { return *all_.front(); }
  // The next one in turn, for a new connection.
  asio::io_context& next() { return *all_[next_.fetch_add(1, std::memory_order_relaxed) % all_.size()]; }
  const std::vector<std::unique_ptr<asio::io_context>>& all() const { return all_; }
  // The outbox and the sweep list of the I/O thread that runs ex.
  Outbox& outbox_of(const asio::any_io_executor& ex) { return *outboxes_[index_of(ex)]; }
  SweepList& sweeps_of(const asio::any_io_executor& ex) { return *sweeps_[index_of(ex)]; }
  void stop();

 private:
  std::size_t index_of(const asio::any_io_executor& ex) const;

  std::vector<std::unique_ptr<asio::io_context>> all_;
  std::vector<std::unique_ptr<Outbox>> outboxes_;  // one per context, in the same order
  std::vector<std::unique_ptr<SweepList>> sweeps_;  // the same
  std::atomic<std::size_t> next_{0};
};

// What every connection of one server shares.
struct Transport {
  Transport(ServerOptions o, Dispatcher& d, BlockingPool& p, BlockingPool& bulk)
      : opt(std::move(o)), dispatcher(d), pool(p), bulk_pool(bulk), io(opt.io_threads), lag(opt.lag) {}

  const ServerOptions opt;
  Dispatcher& dispatcher;
  BlockingPool& pool;
  BlockingPool& bulk_pool;  // the handlers of bulk routes
  IoContexts io;
  LagGate lag;  // fed by the probe (server.cpp), read before running a bulk route
  std::atomic<bool> draining{false};
  ConnectionTable connections;
};

// Accepts connections and counts them against max_connections; past the
// limit it answers 503 itself (listener.cpp).
class Listener {
 public:
  // The acceptor lives on the main I/O thread; shutdown closes it from there
  // too. Each accepted socket goes to the next I/O thread.
  explicit Listener(Transport& t) : t_(t), acceptor_(t.io.main()) {}
  // Binds and listens; returns the port.
  unsigned short listen();
  void start();
  void close();  // from any thread: runs on the main I/O thread

 private:
  awaitable<void> accept_loop();
  awaitable<void> refuse_busy(tcp::socket socket);

  // Refusals are not counted as connections, so they are bounded on their
  // own: past this many at once a socket is closed without an answer, and
  // each one waits only briefly for the client's header.
  static constexpr int kMaxRefusing = 64;
  static constexpr auto kRefuseReadTimeout = std::chrono::milliseconds(200);

  Transport& t_;
  tcp::acceptor acceptor_;
  std::atomic<int> refusing_{0};
};

// One HTTP/1.1 connection, counted in open_connections by the listener;
// ends by closing it or by handing it to a WebSocket session (http_session.cpp).
awaitable<void> http_session(Transport& t, tcp::socket socket);

// A checked upgrade request (http_session.cpp) on its way to the WebSocket.
struct WsUpgrade {
  std::string key;          // Sec-WebSocket-Key
  std::string early_bytes;  // what the client sent after the request, read already
  std::shared_ptr<Request> req;
  RouteMatch match;
};

// An upgrade request whose route has a ws_open hook: opens the module's
// endpoint on the pool, then runs the socket until it closes
// (websocket_session.cpp). Counted in open_websockets by the caller.
awaitable<void> websocket_session(Transport& t, std::shared_ptr<beast::tcp_stream> stream, WsUpgrade upgrade);

// Writes res (with the dispatcher's common headers) as the answer to req:
// string bodies, empty answers to HEAD/204/304, files from disk with
// sendfile, and BodyStreams in chunks, made on the pool (response_writer.cpp;
// `streamed` gets the body bytes of a stream). `head` is the connection's
// own buffer for the head, kept for its next answer. False when the
// connection failed.
awaitable<bool> write_response(Transport& t, beast::tcp_stream& stream, const Request& req, Response& res,
                               bool keep_alive, std::string& head, std::uint64_t* streamed = nullptr);
// "100 Continue", for a client that waits for it before sending its body.
awaitable<void> write_continue(Transport& t, beast::tcp_stream& stream);

// The metrics and the access line of one answered request.
void record_exchange(const Transport& t, const Request& req, const std::string& route_label, int status,
                     std::uint64_t bytes, std::chrono::steady_clock::time_point started);

}  // namespace wp::http::transport
