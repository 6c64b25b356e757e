#pragma once
// An asynchronous Redis connection: hiredis's async API driven by Asio (our
// own adapter over its event hooks), with automatic reconnection and
// re-subscription. Thread-safe: every call is carried onto one strand.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace wp::realtime {

struct RedisReply {
  enum class Kind { string, array, integer, nil, status, error } kind = Kind::nil;
  std::string str;  // string, status, error
  long long integer = 0;
  std::vector<RedisReply> elements;
  bool ok() const { return kind != Kind::error; }
};

class RedisClient {
 public:
  using Callback = std::function<void(const RedisReply&)>;
  // (channel, message) for every message matching a pattern.
  using MessageHandler = std::function<void(const std::string&, const std::string&)>;

  RedisClient(boost::asio::io_context& ioc, std::string host, int port);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  void start();
  void stop();
  // Runs argv; the callback (optional) gets the reply, or an error reply
  // when the connection is down or drops before answering.
  void command(std::vector<std::string> argv, Callback callback = nullptr);
  // PSUBSCRIBE, renewed after every reconnection. Use a client for
  // subscriptions only: a subscribed connection takes no other commands.
  void psubscribe(std::string pattern, MessageHandler handler);
  // Called (on the client's strand) after each successful (re)connection.
  void on_connect(std::function<void()> fn);
  bool connected() const;

  // parses "redis://host:port[/db]"
  static bool parse_url(const std::string& url, std::string& host, int& port);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
  std::atomic<bool> stopping_{false};
};

}  // namespace wp::realtime
