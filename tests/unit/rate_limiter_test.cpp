// The sliding-window limiters: in memory, and on Redis when WP_REDIS_URL
// names one (the same answers, so that one node and many behave alike).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/ids.hpp"
#include "core/rate_limiter.hpp"
#include "realtime/redis_node.hpp"
#include "realtime/redis_rate_limiter.hpp"

namespace {

void on_each_limiter(const std::function<void(wp::RateLimiter&, const std::string& key)>& fn) {
  {
    SCOPED_TRACE("memory");
    wp::MemoryRateLimiter memory;
    fn(memory, "k");
  }
  const char* url = std::getenv("WP_REDIS_URL");
  if (!url || !*url) return;
  SCOPED_TRACE("redis");
  wp::realtime::RedisNode node(url, "wpt-" + wp::new_uuid() + ":");
  node.start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!node.connected() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(node.connected());
  wp::realtime::RedisRateLimiter redis(node);
  auto key = "k-" + wp::new_uuid();
  fn(redis, key);
  redis.reset(key);
}

TEST(RateLimiter, HitThenBlockedForRecordsAndCountsTheHitItMade) {
  on_each_limiter([](wp::RateLimiter& limiter, const std::string& key) {
    EXPECT_FALSE(limiter.hit_then_blocked_for(key, 3, 60000));
    EXPECT_FALSE(limiter.hit_then_blocked_for(key, 3, 60000));
    auto third = limiter.hit_then_blocked_for(key, 3, 60000);
    ASSERT_TRUE(third) << "the third hit reaches the limit of 3";
    EXPECT_GT(*third, 0);
    EXPECT_LE(*third, 60);
    EXPECT_TRUE(limiter.blocked_for(key, 3, 60000)) << "every hit was recorded";
    EXPECT_FALSE(limiter.blocked_for(key, 4, 60000));
    EXPECT_TRUE(limiter.hit_then_blocked_for(key, 4, 60000)) << "recorded even when blocked";
    limiter.reset(key);
    EXPECT_FALSE(limiter.hit_then_blocked_for(key, 2, 60000));
  });
}

TEST(RateLimiter, HitThenBlockedForAnswersAsHitAndBlockedForDo) {
  on_each_limiter([](wp::RateLimiter& limiter, const std::string& key) {
    auto other = key + ":two-steps";
    for (int i = 0; i < 4; ++i) {
      auto one = limiter.hit_then_blocked_for(key, 2, 60000);
      limiter.hit(other, 60000);
      auto two = limiter.blocked_for(other, 2, 60000);
      EXPECT_EQ(one.has_value(), two.has_value()) << "hit " << i + 1;
    }
    limiter.reset(other);
  });
}

TEST(RateLimiter, EventsLeaveTheWindow) {
  on_each_limiter([](wp::RateLimiter& limiter, const std::string& key) {
    EXPECT_TRUE(limiter.hit_then_blocked_for(key, 1, 50));
    std::this_thread::sleep_for(std::chrono::milliseconds(80));
    EXPECT_TRUE(limiter.hit_then_blocked_for(key, 1, 50)) << "the new hit alone reaches a limit of 1";
    EXPECT_FALSE(limiter.hit_then_blocked_for(key, 3, 50)) << "the first left the window: 2 of 3";
  });
}

}  // namespace
