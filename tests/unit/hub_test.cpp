// The hub's fan-out: one serialized message per room broadcast, shared by
// every member's queue; messages for some users only reach those users, and
// messages for all but some reach everyone else.
#include <gtest/gtest.h>

#include "realtime/hub.hpp"

namespace {

struct Keeper : wp::realtime::Connection {
  std::vector<wp::realtime::Message> got;
  std::string name = "k";
  void send(wp::realtime::Message m) override {
    got.push_back(std::move(m));
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

// A thread's fan-out as the transport has one: what it is handed, whole.
struct Thread : wp::realtime::Fanout {
  std::vector<std::pair<Members, wp::realtime::Message>> handed;
  void send_each(Members members, wp::realtime::Message msg) override { handed.emplace_back(members, msg); }
};

struct OnThread : Keeper {
  Thread* thread;
  explicit OnThread(Thread& t) : thread(&t) {}
  wp::realtime::Fanout* fanout() override { return thread; }
};

std::vector<const wp::realtime::Connection*> raw(const wp::realtime::Fanout::Members& members) {
  std::vector<const wp::realtime::Connection*> out;
  for (auto& c : *members) out.push_back(c.get());
  return out;
}

TEST(Hub, ARoomBroadcastIsHandedToEachThreadOnceForAllItsMembers) {
  CountingBackplane backplane;
  wp::realtime::Hub hub(backplane);
  Thread t1, t2;
  auto a = std::make_shared<OnThread>(t1), b = std::make_shared<OnThread>(t2), c = std::make_shared<OnThread>(t1);
  auto plain = std::make_shared<Keeper>();
  for (auto& k : std::vector<std::shared_ptr<Keeper>>{a, b, c, plain}) hub.join("r", {k, "u", "s"});

  auto first = wp::realtime::make_message("first");
  hub.broadcast("r", first);
  ASSERT_EQ(t1.handed.size(), 1u);
  ASSERT_EQ(t2.handed.size(), 1u);
  EXPECT_EQ(raw(t1.handed[0].first), (std::vector<const wp::realtime::Connection*>{a.get(), c.get()}))
      << "one thread's members in the order they joined";
  EXPECT_EQ(raw(t2.handed[0].first), (std::vector<const wp::realtime::Connection*>{b.get()}));
  EXPECT_EQ(t1.handed[0].second.get(), first.get());
  EXPECT_TRUE(a->got.empty()) << "the thread sends, not the hub";
  ASSERT_EQ(plain->got.size(), 1u) << "a connection of no thread gets it from the hub";

  hub.broadcast("r", wp::realtime::make_message("second"));
  EXPECT_EQ(t1.handed[1].first.get(), t1.handed[0].first.get()) << "unchanged room: the same grouping again";

  hub.leave("r", a);
  hub.broadcast("r", wp::realtime::make_message("third"));
  EXPECT_EQ(raw(t1.handed[2].first), (std::vector<const wp::realtime::Connection*>{c.get()}));
  auto d = std::make_shared<OnThread>(t2);
  hub.join("r", {d, "u", "s"});
  hub.broadcast("r", wp::realtime::make_message("fourth"));
  EXPECT_EQ(raw(t2.handed[3].first), (std::vector<const wp::realtime::Connection*>{b.get(), d.get()}));
  EXPECT_EQ(plain->got.size(), 4u);
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
