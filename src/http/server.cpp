// The server's life: start the listener and the I/O threads, drain on a
// signal or stop(), and give up on what does not finish in time. The
// connections themselves are in listener.cpp, http_session.cpp and
// websocket_session.cpp.
#include "http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http/transport.hpp"

namespace wp::http::transport {

IoContexts::IoContexts(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    all_.push_back(std::make_unique<asio::io_context>(1));
    outboxes_.push_back(std::make_unique<Outbox>(*all_.back()));
    sweeps_.push_back(std::make_unique<SweepList>(*all_.back()));
  }
}

std::size_t IoContexts::index_of(const asio::any_io_executor& ex) const {
  auto& ctx = asio::query(ex, asio::execution::context);
  for (std::size_t i = 0; i < all_.size(); ++i)
    if (&ctx == all_[i].get()) return i;
  throw std::logic_error("an executor of no I/O thread of this server");
}

namespace {
void prefetch(const void* p) {
  for (std::size_t at = 0; at < OutboxConnection::kHotBytes; at += 64) __builtin_prefetch(static_cast<const char*>(p) + at);
}
}  // namespace

void Outbox::send_each(Members members, realtime::Message msg) {
  add({.kind = Entry::Kind::send_each, .many = std::move(members), .msg = std::move(msg)});
}

void Outbox::send(std::shared_ptr<OutboxConnection> one, realtime::Message msg) {
  add({.kind = Entry::Kind::send, .one = std::move(one), .msg = std::move(msg)});
}

void Outbox::close(std::shared_ptr<OutboxConnection> one, int code, const std::string& reason) {
  add({.kind = Entry::Kind::close, .one = std::move(one), .msg = realtime::make_message(reason), .close_code = code});
}

void Outbox::add(Entry entry) {
  {
    std::lock_guard lock(mu_);
    waiting_.push_back(std::move(entry));
    if (posted_) return;
    posted_ = true;
  }
  asio::post(ioc_, [this] { flush(); });
}

void Outbox::flush() {
  std::vector<Entry> now;
  {
    std::lock_guard lock(mu_);
    now.swap(waiting_);
    posted_ = false;
  }
  for (auto& e : now) {
    switch (e.kind) {
      case Entry::Kind::send:
        e.one->send_here(e.msg);
        break;
      case Entry::Kind::send_each: {
        const auto& members = *e.many;
        for (std::size_t i = 0; i < members.size(); ++i) {
          // A fan-out walks sockets that are cold in the cache: the next one is fetched meanwhile.
          if (i + 1 < members.size()) prefetch(members[i + 1].get());
          static_cast<OutboxConnection&>(*members[i]).send_here(e.msg);
        }
        break;
      }
      case Entry::Kind::close:
        e.one->close_here(e.close_code, *e.msg);
        break;
    }
  }
}

void SweepList::add(std::weak_ptr<Sweepable> socket) {
  sockets_.push_back(std::move(socket));
  arm();
}

void SweepList::arm() {
  if (armed_ || sockets_.empty()) return;
  armed_ = true;
  timer_.expires_after(kPeriod);
  timer_.async_wait([this](beast::error_code ec) {
    armed_ = false;
    if (!ec) sweep();
  });
}

void SweepList::sweep() {
  auto now = std::chrono::steady_clock::now();
  std::erase_if(sockets_, [now](const std::weak_ptr<Sweepable>& s) {
    auto socket = s.lock();
    return !socket || !socket->swept(now);
  });
  if (sockets_.capacity() > 2 * sockets_.size() + 64) sockets_.shrink_to_fit();
  arm();
}

void IoContexts::stop() {
  for (auto& c : all_) c->stop();
}

ConnectionTable::HttpHandle ConnectionTable::add(const std::shared_ptr<beast::tcp_stream>& stream,
                                                 const std::atomic<bool>& busy) {
  std::lock_guard lock(mu_);
  return http_.insert(http_.end(), HttpEntry{stream, stream->get_executor(), &busy});
}

void ConnectionTable::remove(HttpHandle h) {
  std::lock_guard lock(mu_);
  http_.erase(h);
}

ConnectionTable::WsHandle ConnectionTable::add(std::weak_ptr<DrainableSocket> ws) {
  std::lock_guard lock(mu_);
  return websockets_.insert(websockets_.end(), std::move(ws));
}

void ConnectionTable::remove(WsHandle h) {
  std::lock_guard lock(mu_);
  websockets_.erase(h);
}

std::size_t ConnectionTable::close_round(bool late, bool cut_websockets) {
  std::lock_guard lock(mu_);
  for (auto& w : websockets_) {
    auto ws = w.lock();
    if (!ws) continue;
    ws->close_going_away();
    if (cut_websockets) ws->cut();
  }
  for (auto& c : http_) {
    if (!late && c.busy->load()) continue;
    asio::post(c.executor, [weak = c.stream] {
      // Runs on the connection's I/O thread, so the session is suspended
      // and, if the stream still exists, it stays alive meanwhile.
      if (auto s = weak.lock()) {
        beast::error_code ec;
        s->socket().shutdown(tcp::socket::shutdown_both, ec);
        s->socket().close(ec);
      }
    });
  }
  return http_.size() + websockets_.size();
}

}  // namespace wp::http::transport

namespace wp::http {

using namespace transport;

struct Server::Impl {
  Impl(ServerOptions o, Dispatcher& d, BlockingPool& p, BlockingPool& bulk) : transport(std::move(o), d, p, bulk) {}

  void begin_shutdown();
  awaitable<void> drain();
  awaitable<void> probe_lag(asio::io_context& ioc);

  static constexpr auto kAbandonGrace = std::chrono::milliseconds(500);
  Transport transport;
  Listener listener{transport};
  asio::signal_set signals{transport.io.main(), SIGINT, SIGTERM};
  asio::signal_set hangups{transport.io.main(), SIGHUP};
  std::function<void()> reload;
  void wait_hangup();
  std::atomic<std::size_t> abandoned{0};
};

Server::Server(ServerOptions options, Dispatcher& dispatcher, BlockingPool& pool, BlockingPool* bulk_pool)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher, pool, bulk_pool ? *bulk_pool : pool)) {}

Server::~Server() = default;

unsigned short Server::listen() { return impl_->listener.listen(); }

void Server::run() {
  auto& im = *impl_;
  im.signals.async_wait([&im](beast::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {} received: draining", sig);
    im.begin_shutdown();
  });
  if (im.reload) im.wait_hangup();
  im.listener.start();
  auto& contexts = im.transport.io.all();
  for (auto& ioc : contexts) asio::co_spawn(*ioc, im.probe_lag(*ioc), asio::detached);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts.size(); ++i) {
    threads.emplace_back([&ioc = *contexts[i]] {
      // Kept running while it has no connection; the drain stops it.
      auto work = asio::make_work_guard(ioc);
      ioc.run();
    });
  }
  im.transport.io.main().run();
  for (auto& t : threads) t.join();
}

void Server::Impl::wait_hangup() {
  hangups.async_wait([this](beast::error_code ec, int) {
    if (ec) return;
    spdlog::info("SIGHUP received: reloading the configuration");
    reload();
    wait_hangup();
  });
}

void Server::on_reload(std::function<void()> reload) { impl_->reload = std::move(reload); }

std::size_t Server::abandoned() const { return impl_->abandoned.load(); }

const LagGate& Server::lag() const { return impl_->transport.lag; }

// A timer on each I/O thread: its lateness is the time a handler posted at
// its deadline waited behind the others, which is what a party message's
// fan-out waits. It stops with the drain (the I/O threads stop then).
awaitable<void> Server::Impl::probe_lag(asio::io_context& ioc) {
  asio::steady_timer timer(ioc);
  auto due = std::chrono::steady_clock::now();
  while (!transport.draining) {
    due += transport.opt.lag.interval;
    // After a long stall, measure from now rather than catch up probe by probe.
    due = std::max(due, std::chrono::steady_clock::now());
    timer.expires_at(due);
    auto [ec] = co_await timer.async_wait(as_tuple);
    if (ec) co_return;
    transport.lag.observe(due, std::chrono::steady_clock::now());
  }
}

void Server::stop() {
  asio::post(impl_->transport.io.main(), [im = impl_.get()] { im->begin_shutdown(); });
}

void Server::Impl::begin_shutdown() {
  if (transport.draining.exchange(true)) return;
  listener.close();
  beast::error_code ignored;
  signals.cancel(ignored);
  hangups.cancel(ignored);
  asio::co_spawn(transport.io.main(), drain(), asio::detached);
}

awaitable<void> Server::Impl::drain() {
  auto deadline = std::chrono::steady_clock::now() + transport.opt.shutdown_timeout;
  // Past the deadline every socket is cut, which ends any session waiting
  // on I/O at once. One still there after the grace waits on a handler that
  // does not return (a database lock, say): it cannot be interrupted, so it
  // is left behind rather than holding the exit.
  auto give_up = deadline + kAbandonGrace;
  asio::steady_timer timer(transport.io.main());
  bool websockets_cut = false;
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    bool late = now >= deadline;
    std::size_t open = transport.connections.close_round(late, late && !websockets_cut);
    websockets_cut = websockets_cut || late;
    if (open == 0) break;
    if (now >= give_up) {
      abandoned = open;
      spdlog::warn("shutdown timeout: {} request(s) still running after {} s are abandoned", open,
                   transport.opt.shutdown_timeout.count());
      break;
    }
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(as_tuple);
  }
  if (abandoned == 0) spdlog::info("all connections closed");
  transport.io.stop();
}

}  // namespace wp::http
