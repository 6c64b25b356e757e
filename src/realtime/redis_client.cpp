#include "realtime/redis_client.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/url/parse.hpp>
#include <future>
#include <map>

namespace wp::realtime {

namespace asio = boost::asio;

namespace {

RedisReply convert(const redisReply* r) {
  RedisReply out;
  if (!r) {
    out.kind = RedisReply::Kind::error;
    out.str = "connection lost";
    return out;
  }
  switch (r->type) {
    case REDIS_REPLY_STRING: out.kind = RedisReply::Kind::string; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_STATUS: out.kind = RedisReply::Kind::status; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_ERROR: out.kind = RedisReply::Kind::error; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_INTEGER: out.kind = RedisReply::Kind::integer; out.integer = r->integer; break;
    case REDIS_REPLY_ARRAY:
      out.kind = RedisReply::Kind::array;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default: out.kind = RedisReply::Kind::nil;
  }
  return out;
}

RedisReply error_reply(const std::string& why) {
  RedisReply r;
  r.kind = RedisReply::Kind::error;
  r.str = why;
  return r;
}

}  // namespace

struct RedisClient::Impl : std::enable_shared_from_this<Impl> {
  asio::io_context& ioc;
  asio::strand<asio::io_context::executor_type> strand;
  std::string host;
  int port;
  redisAsyncContext* ac = nullptr;
  std::unique_ptr<asio::posix::stream_descriptor> sock;
  bool want_read = false, want_write = false, reading = false, writing = false;
  std::atomic<bool> is_connected{false};
  bool stopped = false;
  asio::steady_timer retry;
  std::chrono::milliseconds backoff{100};
  std::vector<std::function<void()>> connect_handlers;
  std::map<std::string, std::shared_ptr<MessageHandler>> patterns;

  Impl(asio::io_context& io, std::string h, int p)
      : ioc(io), strand(asio::make_strand(io)), host(std::move(h)), port(p), retry(io) {}

  // hiredis event hooks: hiredis says what it wants; we arm one wait at a time.
  static void add_read(void* self) {
    auto* me = static_cast<Impl*>(self);
    me->want_read = true;
    me->arm_read();
  }
  static void del_read(void* self) { static_cast<Impl*>(self)->want_read = false; }
  static void add_write(void* self) {
    auto* me = static_cast<Impl*>(self);
    me->want_write = true;
    me->arm_write();
  }
  static void del_write(void* self) { static_cast<Impl*>(self)->want_write = false; }
  static void cleanup(void* self) {
    auto* me = static_cast<Impl*>(self);
    me->want_read = me->want_write = false;
    if (me->sock) {
      boost::system::error_code ec;
      me->sock->cancel(ec);
      me->sock->release();  // hiredis closes the descriptor itself
      me->sock.reset();
    }
  }

  void arm_read() {
    if (reading || !sock) return;
    reading = true;
    sock->async_wait(asio::posix::stream_descriptor::wait_read,
                     asio::bind_executor(strand, [self = shared_from_this()](boost::system::error_code ec) {
                       self->reading = false;
                       if (ec || !self->ac) return;
                       if (self->want_read) redisAsyncHandleRead(self->ac);
                       if (self->ac && self->want_read) self->arm_read();
                     }));
  }

  void arm_write() {
    if (writing || !sock) return;
    writing = true;
    sock->async_wait(asio::posix::stream_descriptor::wait_write,
                     asio::bind_executor(strand, [self = shared_from_this()](boost::system::error_code ec) {
                       self->writing = false;
                       if (ec || !self->ac) return;
                       if (self->want_write) redisAsyncHandleWrite(self->ac);
                       if (self->ac && self->want_write) self->arm_write();
                     }));
  }

  static void on_connected(const redisAsyncContext* c, int status) {
    auto* me = static_cast<Impl*>(c->data);
    if (status != REDIS_OK) {
      spdlog::warn("redis {}:{} connect failed: {}", me->host, me->port, c->errstr ? c->errstr : "?");
      me->ac = nullptr;  // hiredis frees the context after this callback
      me->schedule_reconnect();
      return;
    }
    me->is_connected = true;
    me->backoff = std::chrono::milliseconds(100);
    spdlog::info("redis {}:{} connected", me->host, me->port);
    for (auto& [pattern, handler] : me->patterns) me->send_psubscribe(pattern, handler);
    for (auto& fn : me->connect_handlers) fn();
  }

  static void on_disconnected(const redisAsyncContext* c, int status) {
    auto* me = static_cast<Impl*>(c->data);
    me->is_connected = false;
    me->ac = nullptr;
    if (me->stopped) return;
    spdlog::warn("redis {}:{} disconnected ({})", me->host, me->port, status == REDIS_OK ? "closed" : "error");
    me->schedule_reconnect();
  }

  void schedule_reconnect() {
    if (stopped) return;
    retry.expires_after(backoff);
    // Capped low: while Redis is away, party control is refused, so coming back soon matters more
    // than the few connection attempts per second this costs.
    backoff = std::min(backoff * 2, std::chrono::milliseconds(400));
    retry.async_wait(asio::bind_executor(strand, [self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->connect();
    }));
  }

  void connect() {
    if (stopped || ac) return;
    redisAsyncContext* c = redisAsyncConnect(host.c_str(), port);
    if (!c || c->err) {
      spdlog::warn("redis {}:{} connect failed: {}", host, port, c && c->errstr ? c->errstr : "out of memory");
      if (c) redisAsyncFree(c);
      schedule_reconnect();
      return;
    }
    ac = c;
    c->data = this;
    sock = std::make_unique<asio::posix::stream_descriptor>(ioc, c->c.fd);
    c->ev.data = this;
    c->ev.addRead = add_read;
    c->ev.delRead = del_read;
    c->ev.addWrite = add_write;
    c->ev.delWrite = del_write;
    c->ev.cleanup = cleanup;
    redisAsyncSetDisconnectCallback(c, on_disconnected);
    // Setting the connect callback arms the first write event (the connect completing).
    redisAsyncSetConnectCallback(c, on_connected);
  }

  static void reply_trampoline(redisAsyncContext*, void* reply, void* privdata) {
    std::unique_ptr<Callback> cb(static_cast<Callback*>(privdata));
    if (*cb) (*cb)(convert(static_cast<redisReply*>(reply)));
  }

  static void message_trampoline(redisAsyncContext*, void* reply, void* privdata) {
    // Called for the subscription ack and for every message; the handler
    // lives as long as the client, so nothing is freed here.
    auto* r = static_cast<redisReply*>(reply);
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 4) return;
    std::string kind(r->element[0]->str, r->element[0]->len);
    if (kind != "pmessage") return;
    auto* handler = static_cast<MessageHandler*>(privdata);
    (*handler)(std::string(r->element[2]->str, r->element[2]->len), std::string(r->element[3]->str, r->element[3]->len));
  }

  void send_psubscribe(const std::string& pattern, const std::shared_ptr<MessageHandler>& handler) {
    const char* argv[] = {"PSUBSCRIBE", pattern.c_str()};
    size_t lens[] = {10, pattern.size()};
    redisAsyncCommandArgv(ac, message_trampoline, handler.get(), 2, argv, lens);
  }

  void run_command(std::vector<std::string> args, Callback cb) {
    if (!ac || !is_connected) {
      if (cb) cb(error_reply("redis not connected"));
      return;
    }
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* holder = new Callback(std::move(cb));
    if (redisAsyncCommandArgv(ac, reply_trampoline, holder, static_cast<int>(argv.size()), argv.data(), lens.data()) !=
        REDIS_OK) {
      std::unique_ptr<Callback> owned(holder);
      if (*owned) (*owned)(error_reply("redis command refused"));
    }
  }
};

RedisClient::RedisClient(asio::io_context& ioc, std::string host, int port)
    : impl_(std::make_shared<Impl>(ioc, std::move(host), port)) {}

RedisClient::~RedisClient() { stop(); }

void RedisClient::start() {
  asio::post(impl_->strand, [im = impl_] { im->connect(); });
}

void RedisClient::stop() {
  if (stopping_.exchange(true)) return;
  auto done = std::make_shared<std::promise<void>>();
  auto fut = done->get_future();
  asio::post(impl_->strand, [im = impl_, done] {
    im->stopped = true;
    im->retry.cancel();
    if (im->ac) {
      auto* c = im->ac;
      im->ac = nullptr;
      redisAsyncFree(c);
    }
    done->set_value();
  });
  // Wait only if the io_context is being run; otherwise the post runs on destruction.
  if (!impl_->ioc.stopped()) fut.wait_for(std::chrono::seconds(2));
}

void RedisClient::command(std::vector<std::string> argv, Callback callback) {
  asio::post(impl_->strand, [im = impl_, argv = std::move(argv), cb = std::move(callback)]() mutable {
    im->run_command(std::move(argv), std::move(cb));
  });
}

void RedisClient::psubscribe(std::string pattern, MessageHandler handler) {
  asio::post(impl_->strand, [im = impl_, pattern = std::move(pattern), handler = std::move(handler)]() mutable {
    auto h = std::make_shared<MessageHandler>(std::move(handler));
    im->patterns[pattern] = h;
    if (im->ac && im->is_connected) im->send_psubscribe(pattern, h);
  });
}

void RedisClient::on_connect(std::function<void()> fn) {
  asio::post(impl_->strand, [im = impl_, fn = std::move(fn)]() mutable { im->connect_handlers.push_back(std::move(fn)); });
}

bool RedisClient::connected() const { return impl_->is_connected; }

bool RedisClient::parse_url(const std::string& url, std::string& host, int& port) {
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "redis") return false;
  host = std::string(u->host_address());
  port = u->has_port() ? u->port_number() : 6379;
  return !host.empty();
}

}  // namespace wp::realtime
