#pragma once
// The Redis of the C++ tests: WP_REDIS_URL, under a key prefix of its own so that tests never meet.
// nullptr without WP_REDIS_URL (the caller skips); a node that did not connect within 5 s fails.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>

#include "core/ids.hpp"
#include "realtime/redis_node.hpp"

namespace wp::testkit {

inline std::unique_ptr<realtime::RedisNode> connect_test_redis() {
  const char* url = std::getenv("WP_REDIS_URL");
  if (!url || !*url) return nullptr;
  auto redis = std::make_unique<realtime::RedisNode>(url, "wpt-" + new_uuid() + ":");
  redis->start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!redis->connected() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(redis->connected());
  return redis;
}

}  // namespace wp::testkit
