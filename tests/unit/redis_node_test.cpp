// RedisNode::stop: after it returns, no subscription callback runs again, so
// what those callbacks reach may be destroyed (app.cpp's shutdown order).
// Needs a Redis (WP_REDIS_URL); skipped without one.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/ids.hpp"
#include "realtime/hub.hpp"
#include "realtime/redis_backplane.hpp"
#include "realtime/redis_node.hpp"

namespace {

using namespace std::chrono_literals;

bool wait_until(const std::function<bool()>& pred) {
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(RedisNode, StopJoinsTheThreadThatDeliversSubscriptions) {
  const char* url = std::getenv("WP_REDIS_URL");
  if (!url || !*url) GTEST_SKIP() << "WP_REDIS_URL not set";
  auto prefix = "wpt-" + wp::new_uuid() + ":";
  wp::realtime::RedisNode receiver(url, prefix), sender(url, prefix);
  wp::realtime::RedisBackplane receiver_plane(receiver), sender_plane(sender);
  auto hub = std::make_unique<wp::realtime::Hub>(receiver_plane);
  wp::realtime::Hub sender_hub(sender_plane);
  std::atomic<int> seen{0};
  hub->on_signal("ping", [&](const std::string&) { ++seen; });
  receiver.start();
  sender.start();
  ASSERT_TRUE(wait_until([&] { return receiver.connected() && sender.connected(); }));
  // The subscription is made on connect: send until it is in place.
  ASSERT_TRUE(wait_until([&] {
    sender_hub.signal("ping", "x");
    std::this_thread::sleep_for(20ms);
    return seen > 0;
  }));
  receiver.stop();
  hub.reset();  // safe now: nothing can call into it any more
  int before = seen;
  for (int i = 0; i < 5; ++i) sender_hub.signal("ping", "x");
  sender.call({"PING"});  // the publishes are out
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(seen, before);
  receiver.stop();  // idempotent
}

}  // namespace
