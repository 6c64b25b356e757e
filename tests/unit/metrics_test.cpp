// The request counters: each answering thread counts in its own shard, and
// reading sums the shards (core/metrics.hpp).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/metrics.hpp"

namespace {

std::uint64_t count_of(const wp::Metrics::Snapshot& s, const std::string& route) {
  auto it = s.latency.find(route);
  return it == s.latency.end() ? 0 : it->second.count;
}

TEST(Metrics, CountsFromManyThreadsAddUp) {
  auto& m = wp::metrics();
  const std::string route = "/test/metrics/shards/" + std::to_string(::testing::UnitTest::GetInstance()->random_seed());
  auto before = m.snapshot();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) m.observe_request(route, "GET", t == 0 && i < 10 ? 503 : 200, 0.002);
    });
  }
  for (auto& t : threads) t.join();
  auto after = m.snapshot();
  EXPECT_EQ(count_of(after, route) - count_of(before, route), 4000u);
  EXPECT_EQ(after.requests - before.requests, 4000u);
  EXPECT_EQ(after.server_errors - before.server_errors, 10u);
  auto& h = after.latency.at(route);
  EXPECT_EQ(h.buckets[2], 4000u);  // 2 ms: within 2.5 ms
  EXPECT_EQ(h.buckets[1], 0u);
  EXPECT_NEAR(h.sum, 8.0, 1e-9);
  auto text = m.render();
  EXPECT_NE(text.find("route=\"" + route + "\",method=\"GET\",status=\"200\"} 3990\n"), std::string::npos);
  EXPECT_NE(text.find("route=\"" + route + "\",method=\"GET\",status=\"503\"} 10\n"), std::string::npos);
  EXPECT_NE(text.find("watchparty_http_request_duration_seconds_count{route=\"" + route + "\"} 4000\n"),
            std::string::npos);
}

}  // namespace
