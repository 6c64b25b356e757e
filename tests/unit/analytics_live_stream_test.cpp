// Analytics: the staff dashboard's live stream: the leases, and the totals of
// every node pushed to a socket by its own node only.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "core/rate_limiter.hpp"
#include "modules/analytics/live_stream.hpp"
#include "modules/analytics/service.hpp"
#include "support/temp_db.hpp"

namespace wp::analytics {
namespace {

TEST(AnalyticsLiveStream, LeasesAreRenewedLapseAndAreBounded) {
  LiveSubscribers subs;
  int a = 0, b = 0;
  auto to = [](int& n) { return [&n](const LiveTotals&, std::int64_t) { ++n; }; };
  EXPECT_TRUE(subs.subscribe("a", to(a), 0));
  EXPECT_TRUE(subs.subscribe("b", to(b), 10'000));
  subs.send_all({}, 20'000);
  EXPECT_EQ(std::pair(a, b), std::pair(1, 1));
  EXPECT_TRUE(subs.subscribe("a", to(a), 25'000));  // renewed: one lease, not two
  subs.send_all({}, 35'000);
  EXPECT_EQ(std::pair(a, b), std::pair(2, 2));
  subs.send_all({}, 45'000);  // b's lease ran out at 40 s
  EXPECT_EQ(std::pair(a, b), std::pair(3, 2));
  EXPECT_EQ(subs.size(), 1u);
  subs.unsubscribe("a");
  EXPECT_FALSE(subs.any(45'000));
  for (std::size_t i = 0; i < kMaxLiveSubscribers; ++i) EXPECT_TRUE(subs.subscribe(std::to_string(i), to(a), 50'000));
  EXPECT_FALSE(subs.subscribe("one more", to(a), 50'000));
  EXPECT_TRUE(subs.subscribe("0", to(a), 50'000));  // a renewal still is
}

// The nodes' shared board (Redis's hash in production), in memory.
class SharedBoard : public LiveBoard {
 public:
  void put(const NodeLive& n) override {
    std::lock_guard lock(mu_);
    nodes_[n.node_id] = n;
  }
  std::vector<NodeLive> all() override {
    std::lock_guard lock(mu_);
    std::vector<NodeLive> out;
    for (auto& [id, n] : nodes_) out.push_back(n);
    return out;
  }

 private:
  std::mutex mu_;
  std::map<std::string, NodeLive> nodes_;
};

Hooks measuring(long sockets, std::vector<std::string> rooms) {
  Hooks h;
  h.measure = [=] {
    NodeLive n;
    n.sockets = sockets;
    n.party_sockets = static_cast<long>(rooms.size());
    n.party_rooms = rooms;
    return n;
  };
  return h;
}

TEST(AnalyticsLiveStream, ASocketGetsEveryNodesTotalsFromItsOwnNodeOnly) {
  testkit::TempDatabase tdb;
  Store store{*tdb.db};
  MemoryRateLimiter limiter;
  SharedBoard board;
  AnalyticsService a{store, limiter, Settings{}}, b{store, limiter, Settings{}};
  a.set_hooks(measuring(3, {"party:1"}));
  b.set_hooks(measuring(4, {"party:1", "party:2"}));
  a.set_live_board(board);
  b.set_live_board(board);
  std::vector<LiveTotals> got;
  auto keep = [&got](const LiveTotals& t, std::int64_t) { got.push_back(t); };

  a.publish_live("a");
  a.subscribe_live(Principal{.id = "s", .is_staff = true}, "socket-1", keep);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(std::tuple(got[0].nodes, got[0].sockets), std::tuple(1, 3));
  b.publish_live("b");
  b.push_live();  // not b's socket
  EXPECT_EQ(got.size(), 1u);
  a.publish_live("a");
  a.push_live();
  ASSERT_EQ(got.size(), 2u);
  // Summed over both nodes; party 1 has sockets on both and counts once.
  EXPECT_EQ(std::tuple(got[1].nodes, got[1].sockets, got[1].watching_now, got[1].active_parties),
            std::tuple(2, 7, 3, 2));
}

}  // namespace
}  // namespace wp::analytics
