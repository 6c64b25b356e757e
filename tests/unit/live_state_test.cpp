// The in-process live state and rate limiter (the Redis ones run in
// tests/integration/test_scale_out.py against a real Redis).
#include <gtest/gtest.h>

#include "core/rate_limiter.hpp"
#include "modules/parties/live_state.hpp"
#include "realtime/hub.hpp"

namespace {

struct Recorder : wp::realtime::Connection {
  std::vector<std::string> sent;
  std::vector<int> closed;
  std::string name = "c";
  void send(wp::realtime::Message m) override {
    sent.push_back(*m);
  }
  void close(int code, const std::string&) override { closed.push_back(code); }
  const std::string& id() const override { return name; }
};

struct LiveStateTest : ::testing::Test {
  wp::realtime::LocalBackplane backplane;
  wp::realtime::Hub hub{backplane};
  wp::parties::MemoryLiveState live{hub};
  std::shared_ptr<Recorder> member = std::make_shared<Recorder>();
  void SetUp() override { hub.join("p", {member, "u1", "s1"}); }
};

TEST_F(LiveStateTest, SwapStoresAndBroadcastsUnlessTheSharedCopyIsNewer) {
  EXPECT_FALSE(live.swap_playback("p", 0, 1, "{v1}", "m1", false));  // nothing shared yet: taken
  EXPECT_FALSE(live.swap_playback("p", 1, 2, "{v2}", "m2", false));
  auto refused = live.swap_playback("p", 1, 2, "{late}", "m-late", false);
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused, "{v2}");
  EXPECT_EQ(member->sent, (std::vector<std::string>{"m1", "m2"}));
  EXPECT_EQ(live.playback("p"), "{v2}");
  // A shared copy older than the change's base (restored from an old snapshot) is overwritten.
  EXPECT_FALSE(live.swap_playback("p", 5, 6, "{v6}", "m6", false));
  EXPECT_EQ(live.playback("p"), "{v6}");
  live.forget("p");
  EXPECT_FALSE(live.playback("p"));
}

TEST_F(LiveStateTest, TheTapSeesRoomMessagesBeforeMembers) {
  std::vector<std::string> order;
  hub.set_tap([&](const std::string& room, const std::string& text) {
    order.push_back(room + ":" + text + ":" + std::to_string(member->sent.size()));
    return true;
  });
  live.swap_playback("p", 0, 1, "{}", "hello", false);
  EXPECT_EQ(order, (std::vector<std::string>{"p:hello:0"}));
  EXPECT_EQ(member->sent.size(), 1u);
}

TEST_F(LiveStateTest, PresenceAndBuffering) {
  live.set_online("p", "u1", true);
  live.set_online("p", "u2", true);
  auto online = live.online_of("p", {"u1", "u3", "u2"});
  EXPECT_EQ(online.count, 2);
  EXPECT_EQ(online.among, (std::vector<bool>{true, false, true}));
  live.set_online("p", "u1", false);
  online = live.online_of("p", {"u1", "u2"});
  EXPECT_EQ(online.count, 1);
  EXPECT_EQ(online.among, (std::vector<bool>{false, true}));
  EXPECT_EQ(live.online_of("other", {"u2"}).among, std::vector<bool>{false});
  EXPECT_EQ(live.online_of("other", {}).count, 0);
  EXPECT_EQ(live.set_buffering("p", "u1", true), std::make_pair(true, 1LL));
  EXPECT_EQ(live.set_buffering("p", "u1", true), std::make_pair(false, 1LL));
  EXPECT_EQ(live.set_buffering("p", "u2", true), std::make_pair(true, 2LL));
  EXPECT_EQ(live.set_buffering("p", "u1", false), std::make_pair(true, 1LL));
}

TEST_F(LiveStateTest, ASwapThatEndsTheWaitForgetsItsWaitersInTheSameStep) {
  live.set_buffering("p", "u1", true);
  live.set_buffering("p", "u2", true);
  EXPECT_FALSE(live.swap_playback("p", 0, 1, "{v1}", "m1", false));
  EXPECT_EQ(live.set_buffering("p", "u3", true), std::make_pair(true, 3LL));  // a plain change keeps them
  // A refused swap changes nothing, not even the waiters.
  EXPECT_TRUE(live.swap_playback("p", 0, 1, "{stale}", "m-stale", true));
  EXPECT_EQ(live.set_buffering("p", "u3", true), std::make_pair(false, 3LL));
  EXPECT_FALSE(live.swap_playback("p", 1, 2, "{play}", "m2", true));
  // Who starts buffering after the play is counted: nothing clears it later
  // (the clear used to be a second step, which could land after this).
  EXPECT_EQ(live.set_buffering("p", "u1", true), std::make_pair(true, 1LL));
  EXPECT_EQ(live.set_buffering("p", "u1", false), std::make_pair(true, 0LL));
}

// Records every channel published, then delivers like LocalBackplane.
struct SpyBackplane : wp::realtime::Backplane {
  Receiver receiver;
  std::vector<std::string> channels;
  void set_receiver(Receiver r) override { receiver = std::move(r); }
  void publish(const std::string& channel, const wp::realtime::Message& payload) override {
    channels.push_back(channel + " " + *payload);
    receiver(channel, payload);
  }
};

TEST_F(LiveStateTest, ClosingGoesThroughTheBackplane) {
  SpyBackplane spy;
  wp::realtime::Hub hub2(spy);
  auto a = std::make_shared<Recorder>(), b = std::make_shared<Recorder>();
  hub2.join("room1", {a, "alice", "s1"});
  hub2.join("room2", {b, "bob", "s2"});
  hub2.close_user_everywhere("alice", 4001, "Session ended.");
  EXPECT_EQ(a->closed, (std::vector<int>{4001}));
  EXPECT_TRUE(b->closed.empty());
  hub2.close_room("room2", 4003, "deleted");
  EXPECT_EQ(b->closed, (std::vector<int>{4003}));
  std::string got;
  hub2.on_signal("ping", [&](const std::string& payload) { got = payload; });
  hub2.signal("ping", "x y");
  EXPECT_EQ(got, "x y");
  // Every node (this one included) acts on what the backplane carries, never on a shortcut.
  EXPECT_EQ(spy.channels, (std::vector<std::string>{"close:*:alice 4001 * Session ended.",
                                                    "close:room2:* 4003 * deleted", "signal:ping x y"}));
}

TEST(Hub, ClosesOnlyTheSessionsItIsTold) {
  wp::realtime::LocalBackplane backplane;
  wp::realtime::Hub hub(backplane);
  auto phone = std::make_shared<Recorder>(), laptop = std::make_shared<Recorder>(), tablet = std::make_shared<Recorder>();
  hub.join("r", {phone, "alice", "phone"});
  hub.join("r", {laptop, "alice", "laptop"});
  hub.join("r", {tablet, "alice", "tablet"});
  using Kind = wp::realtime::Hub::Sessions::Kind;
  hub.close_user_everywhere("alice", 4001, "Session ended.", {Kind::only, "phone"});
  EXPECT_EQ(phone->closed.size(), 1u);
  EXPECT_TRUE(laptop->closed.empty());
  hub.close_user_everywhere("alice", 4001, "Session ended.", {Kind::all_but, "laptop"});
  EXPECT_TRUE(laptop->closed.empty());
  EXPECT_EQ(tablet->closed.size(), 1u);
  hub.close_user_everywhere("alice", 4001, "Session ended.");
  EXPECT_EQ(laptop->closed.size(), 1u);
}

TEST(MemoryRateLimiter, AcquireRecordsOnlyWhenAllowed) {
  wp::MemoryRateLimiter limiter;
  EXPECT_FALSE(limiter.acquire("k", 2, 60000));
  EXPECT_FALSE(limiter.acquire("k", 2, 60000));
  auto wait = limiter.acquire("k", 2, 60000);
  ASSERT_TRUE(wait);
  EXPECT_GT(*wait, 0);
  EXPECT_LE(*wait, 60);
  EXPECT_TRUE(limiter.blocked_for("k", 2, 60000));
  EXPECT_FALSE(limiter.blocked_for("k", 3, 60000)) << "refused attempts are not counted";
  limiter.reset("k");
  EXPECT_FALSE(limiter.acquire("k", 2, 60000));
}

}  // namespace
