#pragma once
// The backplane on Redis pub/sub: every node publishes once on
// "wp:<channel>" and every node (itself included) receives it, so all
// members everywhere see one order per room.
#include <string>

#include "realtime/hub.hpp"
#include "realtime/redis_node.hpp"

namespace wp::realtime {

// The Redis channel of a backplane channel (Lua scripts publish there too).
std::string redis_channel(const std::string& channel);

class RedisBackplane : public Backplane {
 public:
  explicit RedisBackplane(RedisNode& redis) : redis_(redis) {}
  void set_receiver(Receiver receiver) override;
  void publish(const std::string& channel, const Message& payload) override;

 private:
  RedisNode& redis_;
};

}  // namespace wp::realtime
