#pragma once
// Room broadcasts through Redis pub/sub: every node publishes once and
// every node (itself included) delivers to its local members, so all
// members everywhere see one order per room. Runs its own I/O thread.
#include <memory>
#include <string>

#include "realtime/hub.hpp"

namespace wp::realtime {

class RedisBackplane : public Backplane {
 public:
  explicit RedisBackplane(const std::string& redis_url);
  ~RedisBackplane() override;
  void set_receiver(Deliver deliver) override;
  void publish(const std::string& room, const Message& msg) override;
  bool connected() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wp::realtime
