// RedisLiveState's presence read (online_of): two nodes share one Redis; the count is of distinct
// users (a user on both nodes is one), the flags answer for the users asked about, and a node that
// stops renewing drops out once its entries expire. Needs a Redis (WP_REDIS_URL); skipped without one.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "modules/parties/redis_live_state.hpp"
#include "support/test_redis.hpp"

namespace {

using namespace std::chrono_literals;
using wp::parties::RedisLiveState;

struct RedisLive : ::testing::Test {
  void SetUp() override {
    redis = wp::testkit::connect_test_redis();
    if (!redis) GTEST_SKIP() << "WP_REDIS_URL not set";
    ASSERT_TRUE(redis->connected());
    node1 = std::make_unique<RedisLiveState>(*redis, 300ms);
    node2 = std::make_unique<RedisLiveState>(*redis, 300ms);
  }
  std::unique_ptr<wp::realtime::RedisNode> redis;
  std::unique_ptr<RedisLiveState> node1, node2;
};

TEST_F(RedisLive, OnlineOfCountsDistinctUsersOverNodesAndAnswersForThoseAsked) {
  EXPECT_EQ(node1->online_of("p", {"ana"}).count, 0);
  node1->set_online("p", "ana", true);
  node2->set_online("p", "ana", true);  // another tab, on the other node
  node2->set_online("p", "ben", true);
  node1->set_online("q", "cy", true);  // another party
  auto seen = node1->online_of("p", {"ben", "cy", "ana"});
  EXPECT_EQ(seen.count, 2);
  EXPECT_EQ(seen.among, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(node2->online_of("p", {}).count, 2) << "every node reads the same";
  node1->set_online("p", "ana", false);
  EXPECT_EQ(node1->online_of("p", {"ana"}).among, std::vector<bool>{true}) << "still on node 2";
  node2->set_online("p", "ana", false);
  seen = node1->online_of("p", {"ana", "ben"});
  EXPECT_EQ(seen.count, 1);
  EXPECT_EQ(seen.among, (std::vector<bool>{false, true}));
}

TEST_F(RedisLive, ANodeThatStopsRenewingDropsOutOfTheCount) {
  node1->set_online("p", "ana", true);
  node2->set_online("p", "ben", true);
  // Node 1 renews ana; node 2 stops (a dead node): ben's entry expires after the TTL.
  for (auto end = std::chrono::steady_clock::now() + 600ms; std::chrono::steady_clock::now() < end;) {
    node1->renew_presence({{"p", {"ana"}}});
    std::this_thread::sleep_for(50ms);
  }
  auto seen = node1->online_of("p", {"ana", "ben"});
  EXPECT_EQ(seen.count, 1);
  EXPECT_EQ(seen.among, (std::vector<bool>{true, false}));
}

}  // namespace
