#pragma once
// This process's link to Redis: one connection for commands and one for
// subscriptions, driven by their own thread. Everything that shares state
// between nodes (backplane, party live state, rate limits) goes through it.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "realtime/redis_client.hpp"

namespace wp::realtime {

class RedisNode {
 public:
  // Every key and channel starts with prefix, so that deployments may share a Redis.
  RedisNode(const std::string& url, std::string prefix);  // throws std::invalid_argument on a bad URL
  ~RedisNode();
  RedisNode(const RedisNode&) = delete;
  RedisNode& operator=(const RedisNode&) = delete;

  RedisClient& commands() { return *commands_; }
  RedisClient& subscriber() { return *subscriber_; }
  void start();
  // Stops both connections and joins the thread that runs their callbacks
  // (subscriptions, on_connect handlers). Call it before destroying what
  // those callbacks reach (the hub, the parties service): after it returns,
  // none of them runs again. Idempotent; the destructor calls it too.
  void stop();

  // Runs argv and waits for the reply. Blocks: never call it on an I/O thread.
  // Throws wp::Error SERVICE_UNAVAILABLE when Redis is down, slow or answers an error.
  RedisReply call(std::vector<std::string> argv,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
  // EVAL of a Lua script with its keys and arguments, like call().
  RedisReply eval(const std::string& script, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args);
  bool connected() const;
  std::string key(const std::string& name) const { return prefix_ + name; }
  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
  struct Loop;
  std::unique_ptr<Loop> loop_;
  std::unique_ptr<RedisClient> commands_, subscriber_;
};

}  // namespace wp::realtime
