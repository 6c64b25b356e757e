#pragma once
// The backplane on Redis pub/sub: every node publishes once on
// "<prefix><channel>" and every node (itself included) receives it, so all
// members everywhere see one order per room.
#include <string>

#include "realtime/hub.hpp"
#include "realtime/redis_node.hpp"

namespace wp::realtime {

class RedisBackplane : public Backplane {
 public:
  explicit RedisBackplane(RedisNode& redis) : redis_(redis) {}
  void set_receiver(Receiver receiver) override;
  void publish(const std::string& channel, const Message& payload) override;

 private:
  RedisNode& redis_;
};

}  // namespace wp::realtime
