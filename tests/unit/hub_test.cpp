// The hub's fan-out: one serialized message per room broadcast, shared by
// every member's queue; messages for some users only reach those users, and
// messages for all but some reach everyone else.
#include <gtest/gtest.h>

#include "realtime/hub.hpp"

namespace {

struct Keeper : wp::realtime::Connection {
  std::vector<wp::realtime::Message> got;
  std::string name = "k";
  bool send(wp::realtime::Message m) override {
    got.push_back(std::move(m));
    return true;
  }
  void close(int, const std::string&) override {}
  const std::string& id() const override { return name; }
};

// Counts what crosses the backplane, then hands it back as LocalBackplane does.
struct CountingBackplane : wp::realtime::Backplane {
  Receiver receiver;
  std::vector<std::string> channels;
  void set_receiver(Receiver r) override { receiver = std::move(r); }
  void publish(const std::string& channel, const wp::realtime::Message& payload) override {
    channels.push_back(channel);
    receiver(channel, payload);
  }
};

TEST(Hub, ABroadcastIsOneBufferSharedByEveryMember) {
  CountingBackplane backplane;
  wp::realtime::Hub hub(backplane);
  std::vector<std::shared_ptr<Keeper>> members;
  for (int i = 0; i < 5; ++i) {
    members.push_back(std::make_shared<Keeper>());
    hub.join("r", {members.back(), "u" + std::to_string(i % 3), "s"});
  }
  auto outsider = std::make_shared<Keeper>();
  hub.join("other", {outsider, "u0", "s"});

  auto msg = wp::realtime::make_message(R"({"type":"chat_message"})");
  hub.broadcast("r", msg);
  EXPECT_EQ(backplane.channels, (std::vector<std::string>{"room:r"})) << "published once for the whole room";
  for (auto& m : members) {
    ASSERT_EQ(m->got.size(), 1u);
    EXPECT_EQ(m->got[0].get(), msg.get()) << "every member queues the same buffer, not a copy";
  }
  EXPECT_EQ(msg.use_count(), 1 + static_cast<long>(members.size()));
  EXPECT_TRUE(outsider->got.empty());
}

TEST(Hub, SendToUsersReachesOnlyTheirSockets) {
  CountingBackplane backplane;
  wp::realtime::Hub hub(backplane);
  auto a1 = std::make_shared<Keeper>(), a2 = std::make_shared<Keeper>(), b = std::make_shared<Keeper>(),
       c = std::make_shared<Keeper>(), a_elsewhere = std::make_shared<Keeper>();
  hub.join("r", {a1, "alice", "s1"});
  hub.join("r", {a2, "alice", "s2"});
  hub.join("r", {b, "bob", "s3"});
  hub.join("r", {c, "carol", "s4"});
  hub.join("r2", {a_elsewhere, "alice", "s1"});
  auto msg = wp::realtime::make_message("for alice and carol");
  hub.send_to_users("r", {"alice", "carol"}, msg);
  EXPECT_EQ(backplane.channels, (std::vector<std::string>{"users:r:alice,carol"}));
  for (auto& k : {a1, a2, c}) {
    ASSERT_EQ(k->got.size(), 1u);
    EXPECT_EQ(k->got[0].get(), msg.get());
  }
  EXPECT_TRUE(b->got.empty());
  EXPECT_TRUE(a_elsewhere->got.empty());
  hub.send_to_users("r", {}, msg);
  EXPECT_EQ(backplane.channels.size(), 1u) << "nobody to tell: nothing published";
}

TEST(Hub, AMessageForAllButSomeSkipsOnlyTheirSockets) {
  CountingBackplane backplane;
  wp::realtime::Hub hub(backplane);
  auto a1 = std::make_shared<Keeper>(), a2 = std::make_shared<Keeper>(), b = std::make_shared<Keeper>(),
       c = std::make_shared<Keeper>(), other_room = std::make_shared<Keeper>();
  hub.join("r", {a1, "alice", "s1"});
  hub.join("r", {a2, "alice", "s2"});
  hub.join("r", {b, "bob", "s3"});
  hub.join("r", {c, "carol", "s4"});
  hub.join("r2", {other_room, "bob", "s3"});
  auto msg = wp::realtime::make_message("not for alice nor dave");
  hub.send_to_all_but("r", {"alice", "dave"}, msg);
  EXPECT_EQ(backplane.channels, (std::vector<std::string>{"users:r:!alice,dave"}));
  for (auto& k : {b, c}) {
    ASSERT_EQ(k->got.size(), 1u);
    EXPECT_EQ(k->got[0].get(), msg.get());
  }
  EXPECT_TRUE(a1->got.empty());
  EXPECT_TRUE(a2->got.empty());
  EXPECT_TRUE(other_room->got.empty());
  hub.send_to_all_but("r", {}, msg);
  EXPECT_EQ(backplane.channels.back(), "room:r") << "nobody left out: a plain broadcast";
  EXPECT_EQ(a1->got.size(), 1u);
}

TEST(Hub, OneMessageForEachOfSeveralRoomsCrossesTheBackplaneOnce) {
  CountingBackplane backplane;
  wp::realtime::Hub hub(backplane);
  auto a1 = std::make_shared<Keeper>(), a2 = std::make_shared<Keeper>(), b = std::make_shared<Keeper>(),
       c = std::make_shared<Keeper>();
  hub.join("user:a", {a1, "a", "s1"});
  hub.join("user:a", {a2, "a", "s2"});
  hub.join("user:b", {b, "b", "s3"});
  hub.join("user:c", {c, "c", "s4"});
  auto msg = wp::realtime::make_message("for a and b");
  hub.broadcast_each({"user:a", "user:b", "user:nobody-here"}, msg);
  EXPECT_EQ(backplane.channels, (std::vector<std::string>{"each:user:a,user:b,user:nobody-here"}));
  for (auto& k : {a1, a2, b}) {
    ASSERT_EQ(k->got.size(), 1u);
    EXPECT_EQ(k->got[0].get(), msg.get());
  }
  EXPECT_TRUE(c->got.empty());
  hub.broadcast_each({"user:c"}, msg);
  EXPECT_EQ(backplane.channels.back(), "room:user:c") << "one room: a plain broadcast";
  hub.broadcast_each({}, msg);
  EXPECT_EQ(backplane.channels.size(), 2u) << "nobody to tell: nothing published";
}

}  // namespace

namespace {

// The parties' replay after Redis comes back: the tap drops a message this
// node delivered already, for the whole room and for some users alike.
TEST(Hub, TheTapCanDropAMessageDeliveredAlready) {
  CountingBackplane backplane;
  wp::realtime::Hub hub(backplane);
  auto a = std::make_shared<Keeper>(), b = std::make_shared<Keeper>();
  hub.join("r", {a, "alice", "s1"});
  hub.join("r", {b, "bob", "s2"});
  std::vector<std::string> tapped;
  hub.set_tap([&](const std::string& room, const std::string& text) {
    tapped.push_back(room + ":" + text);
    return text != "again";
  });
  hub.broadcast("r", wp::realtime::make_message("again"));
  hub.send_to_all_but("r", {"bob"}, wp::realtime::make_message("again"));
  EXPECT_TRUE(a->got.empty());
  EXPECT_TRUE(b->got.empty());
  hub.send_to_all_but("r", {"bob"}, wp::realtime::make_message("new"));
  EXPECT_EQ(tapped, (std::vector<std::string>{"r:again", "r:again", "r:new"}));
  ASSERT_EQ(a->got.size(), 1u);
  EXPECT_TRUE(b->got.empty());
  hub.deliver_local_except("r", {"alice"}, wp::realtime::make_message("replayed"));
  ASSERT_EQ(b->got.size(), 1u);
  EXPECT_EQ(*b->got[0], "replayed");
  EXPECT_EQ(a->got.size(), 1u);
}

}  // namespace
