// RedisUserPresence keeps the rules of the in-memory one (user_channel_test)
// with the state in Redis: told online once, offline once after the debounce
// and only when no node serves the user, a reload tells nobody, a dead node's
// entries expire. Needs a Redis (WP_REDIS_URL); skipped without one.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "realtime/redis_node.hpp"
#include "support/test_redis.hpp"
#include "realtime/redis_user_presence.hpp"

namespace {

using namespace std::chrono_literals;
using wp::realtime::RedisUserPresence;

struct RedisPresence : ::testing::Test {
  void SetUp() override {
    redis = wp::testkit::connect_test_redis();
    if (!redis) GTEST_SKIP() << "WP_REDIS_URL not set";
    ASSERT_TRUE(redis->connected());
    presence = std::make_unique<RedisUserPresence>(*redis, 600ms, 400ms);
  }
  std::vector<std::string> offline_within(std::chrono::milliseconds d) {
    std::vector<std::string> all;
    for (auto end = std::chrono::steady_clock::now() + d; std::chrono::steady_clock::now() < end;) {
      for (auto& u : presence->take_offline()) all.push_back(u);
      std::this_thread::sleep_for(20ms);
    }
    return all;
  }
  std::unique_ptr<wp::realtime::RedisNode> redis;
  std::unique_ptr<RedisUserPresence> presence;
};

TEST_F(RedisPresence, OnlineOnceOfflineOnceAfterTheLastNodeAndTheDebounce) {
  EXPECT_TRUE(presence->connect("n1", "ana"));
  EXPECT_FALSE(presence->connect("n2", "ana")) << "already told online";
  presence->disconnect("n1", "ana");
  EXPECT_EQ(presence->online({"ana", "ben"}), (std::vector<bool>{true, false}));
  EXPECT_TRUE(offline_within(700ms).empty()) << "n2 still serves her";
  presence->disconnect("n2", "ana");
  EXPECT_EQ(presence->online({"ana"}), (std::vector<bool>{false}));
  EXPECT_TRUE(presence->take_offline().empty()) << "not before the debounce";
  EXPECT_EQ(offline_within(700ms), (std::vector<std::string>{"ana"}));
  EXPECT_TRUE(presence->connect("n1", "ana")) << "told online again after an offline";
}

TEST_F(RedisPresence, AReloadWithinTheDebounceTellsNobody) {
  EXPECT_TRUE(presence->connect("n1", "ana"));
  presence->disconnect("n1", "ana");
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(presence->connect("n2", "ana"));
  EXPECT_TRUE(offline_within(800ms).empty());
}

TEST_F(RedisPresence, ADeadNodesEntriesExpireAndHeartbeatsKeepTheLivingOnes) {
  presence->connect("dead", "ana");
  presence->connect("alive", "ben");
  std::vector<std::string> gone;
  for (int i = 0; i < 10; ++i) {  // 1 s: "alive" renews every 100 ms, "dead" never
    presence->renew("alive", {"ben"}, false);
    for (auto& u : presence->take_offline()) gone.push_back(u);
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(presence->online({"ana", "ben"}), (std::vector<bool>{false, true}));
  for (auto& u : offline_within(600ms)) gone.push_back(u);
  EXPECT_EQ(gone, (std::vector<std::string>{"ana"}));
}

TEST_F(RedisPresence, AHeartbeatNeverBringsBackAUserWhoLeftButARestoreDoes) {
  presence->connect("n1", "ana");
  presence->disconnect("n1", "ana");
  presence->renew("n1", {"ana"}, false);
  EXPECT_EQ(presence->online({"ana"}), (std::vector<bool>{false}));
  presence->renew("n1", {"ana"}, true);
  EXPECT_EQ(presence->online({"ana"}), (std::vector<bool>{true}));
  EXPECT_TRUE(offline_within(500ms).empty()) << "the pending offline finds her online again";
}

}  // namespace
