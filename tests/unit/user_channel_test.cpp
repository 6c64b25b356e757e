// The per-user channel's rules (realtime/user_channel, realtime/user_presence):
// events reach every tab of a user on every node; friends are told once when
// a user comes online and, after the debounce, once when their last socket
// anywhere closed or their node died; a reload within the debounce tells nobody.
// Nodes are simulated: hubs on one in-process bus, one shared MemoryUserPresence
// and a clock the test moves.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "core/error.hpp"
#include "realtime/user_channel.hpp"

namespace {

using namespace wp::realtime;
using namespace std::chrono_literals;

class Tab : public Connection {
 public:
  void send(Message m) override {
    std::lock_guard lock(mu_);
    got_.push_back(boost::json::parse(*m).as_object());
  }
  void close(int code, const std::string&) override { closed = code; }
  const std::string& id() const override { return name_; }
  std::vector<boost::json::object> events(const std::string& type) const {
    std::lock_guard lock(mu_);
    std::vector<boost::json::object> out;
    for (auto& o : got_)
      if (o.at("type").as_string() == type) out.push_back(o);
    return out;
  }
  int closed = 0;

 private:
  std::string name_ = "tab";
  mutable std::mutex mu_;
  std::vector<boost::json::object> got_;
};

// What Redis pub/sub does for the nodes: every publish reaches every node.
struct Bus {
  std::vector<Backplane::Receiver> nodes;
};
struct BusBackplane : Backplane {
  explicit BusBackplane(Bus& b) : bus(b) {}
  void set_receiver(Receiver r) override { bus.nodes.push_back(std::move(r)); }
  void publish(const std::string& channel, const Message& payload) override {
    for (auto& node : bus.nodes) node(channel, payload);
  }
  Bus& bus;
};

struct World {
  std::atomic<std::int64_t> now{1'000'000};
  Clock clock = [this] { return now.load(); };
  static constexpr auto ttl = 3000ms, debounce = 2000ms;
  MemoryUserPresence presence{ttl, debounce, clock};
  Bus bus;
  std::map<std::string, std::vector<std::string>> friends;
  int friend_lookups = 0;

  struct Node {
    BusBackplane backplane;
    Hub hub;
    LiveUserChannel channel;
    Node(World& w)
        : backplane(w.bus),
          hub(backplane),
          channel(hub, w.presence, [&w](const std::string& u) { ++w.friend_lookups; return w.friends[u]; }, ttl / 3,
                  w.clock) {}
  };
  std::vector<std::unique_ptr<Node>> nodes;
  Node& node(std::size_t i) {
    while (nodes.size() <= i) nodes.push_back(std::make_unique<Node>(*this));
    return *nodes[i];
  }

  std::shared_ptr<Tab> open(std::size_t n, const std::string& user) {
    auto tab = std::make_shared<Tab>();
    node(n).channel.attach(user, "session-" + user, tab, make_message(R"({"type":"hello"})"));
    return tab;
  }
  void close(std::size_t n, const std::string& user, const std::shared_ptr<Tab>& tab) {
    node(n).channel.detach(user, tab);
  }
  // Time passes in ticks of 100 ms, as the server's ticker does, on these nodes.
  void pass(std::chrono::milliseconds d, std::vector<std::size_t> ticking = {0}) {
    for (auto t = 0ms; t < d; t += 100ms) {
      now += 100;
      for (auto i : ticking) node(i).channel.tick();
    }
  }
};

std::vector<std::pair<std::string, bool>> presence_of(const Tab& tab) {
  std::vector<std::pair<std::string, bool>> out;
  for (auto& e : tab.events("presence")) {
    auto& d = e.at("data").as_object();
    out.emplace_back(std::string(d.at("user_id").as_string()), d.at("online").as_bool());
  }
  return out;
}

using Seen = std::vector<std::pair<std::string, bool>>;

TEST(UserChannel, AnEventReachesEveryTabOfTheUserOnEveryNodeAndNobodyElse) {
  World w;
  auto a1 = w.open(0, "ana"), a2 = w.open(0, "ana"), a3 = w.open(1, "ana"), ben = w.open(1, "ben");
  w.node(1).channel.publish("ana", "friend_request", R"({"from":{"id":"b","username":"ben"}})");
  for (auto& tab : {a1, a2, a3}) {
    auto got = tab->events("friend_request");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(boost::json::serialize(got[0]),
              R"({"type":"friend_request","data":{"from":{"id":"b","username":"ben"}}})");
  }
  EXPECT_TRUE(ben->events("friend_request").empty());
  // The first message is the one queued on joining.
  EXPECT_EQ(a1->events("hello").size(), 1u);
}

TEST(UserChannel, OneEventForSeveralUsersReachesEachOfThemOnEveryNode) {
  World w;
  auto a0 = w.open(0, "ana"), a1 = w.open(1, "ana"), ben = w.open(1, "ben"), cleo = w.open(0, "cleo");
  w.node(0).channel.publish_each({"ana", "ben"}, "message_new", R"({"seq":7})");
  for (auto& tab : {a0, a1, ben}) {
    auto got = tab->events("message_new");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(boost::json::serialize(got[0]), R"({"type":"message_new","data":{"seq":7}})");
  }
  EXPECT_TRUE(cleo->events("message_new").empty());
}

TEST(UserChannel, EventDataMustBeAJsonObject) {
  World w;
  EXPECT_THROW(w.node(0).channel.publish("ana", "x", "[1]"), std::invalid_argument);
  EXPECT_THROW(w.node(0).channel.publish("ana", "x", "{nope"), std::invalid_argument);
}

TEST(UserChannel, FriendsAreToldOnceWhenTheFirstTabOpensAnywhere) {
  World w;
  w.friends["ana"] = {"ben", "cleo"};
  auto ben = w.open(0, "ben"), cleo = w.open(1, "cleo"), dan = w.open(0, "dan");
  auto t1 = w.open(0, "ana");
  auto t2 = w.open(0, "ana");
  auto t3 = w.open(1, "ana");
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}}));
  EXPECT_EQ(presence_of(*cleo), (Seen{{"ana", true}})) << "a friend on another node";
  EXPECT_TRUE(presence_of(*dan).empty()) << "not a friend";
  EXPECT_EQ(w.presence.online({"ana", "ben", "zoe"}), (std::vector<bool>{true, true, false}));
}

TEST(UserChannel, OfflineOnlyWhenTheLastTabOnEveryNodeClosedAndAfterTheDebounce) {
  World w;
  w.friends["ana"] = {"ben"};
  auto ben = w.open(0, "ben");
  auto t1 = w.open(0, "ana"), t2 = w.open(0, "ana"), t3 = w.open(1, "ana");
  w.close(0, "ana", t1);
  w.close(1, "ana", t3);
  w.pass(5s, {0, 1});
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}})) << "a tab is still open";
  EXPECT_EQ(w.presence.online({"ana"}), (std::vector<bool>{true}));

  w.close(0, "ana", t2);
  EXPECT_EQ(w.presence.online({"ana"}), (std::vector<bool>{false})) << "the state changes at once";
  w.pass(1900ms, {0, 1});
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}})) << "not before the debounce";
  w.pass(200ms, {0, 1});
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}, {"ana", false}})) << "once, by one node";
  w.pass(5s, {0, 1});
  EXPECT_EQ(presence_of(*ben).size(), 2u);
}

TEST(UserChannel, AReloadWithinTheDebounceTellsNobody) {
  World w;
  w.friends["ana"] = {"ben"};
  auto ben = w.open(0, "ben");
  auto tab = w.open(0, "ana");
  w.close(0, "ana", tab);
  w.pass(1s, {0, 1});
  auto again = w.open(1, "ana");  // the reloaded page lands on the other node
  w.pass(5s, {0, 1});
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}})) << "no offline, no second online";
  // Gone for good this time: one offline.
  w.close(1, "ana", again);
  w.pass(3s, {0, 1});
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}, {"ana", false}}));
  // Back later: online again.
  auto back = w.open(0, "ana");
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}, {"ana", false}, {"ana", true}}));
}

TEST(UserChannel, HeartbeatsKeepUsersOnlineAndADeadNodesUsersGoOfflineOnce) {
  World w;
  w.friends["ana"] = {"ben"};
  w.friends["cleo"] = {"ben"};
  auto ben = w.open(0, "ben");
  auto ana = w.open(1, "ana");    // node 1 dies below
  auto cleo = w.open(2, "cleo");  // node 2 lives on
  auto ana_too = w.open(2, "ana");
  w.close(2, "ana", ana_too);
  w.pass(10s, {0, 1, 2});
  EXPECT_EQ(w.presence.online({"ana", "cleo"}), (std::vector<bool>{true, true})) << "renewed every ttl/3";
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}, {"cleo", true}}));

  // Node 1 stops renewing (killed): its last heartbeat (at most ttl/3 ago)
  // expires after the ttl, then the debounce runs.
  w.pass(2000ms, {0, 2});
  EXPECT_EQ(w.presence.online({"ana"}), (std::vector<bool>{true})) << "not before the ttl";
  w.pass(1100ms, {0, 2});
  EXPECT_EQ(w.presence.online({"ana", "cleo"}), (std::vector<bool>{false, true}));
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}, {"cleo", true}}));
  w.pass(2100ms, {0, 2});
  EXPECT_EQ(presence_of(*ben), (Seen{{"ana", true}, {"cleo", true}, {"ana", false}}))
      << "told once, by one of the living nodes";
}

TEST(UserChannel, AHeartbeatNeverBringsBackAUserWhoLeftButARestoreDoes) {
  World w;
  auto tab = w.open(0, "ana");
  w.presence.disconnect("other-node", "ana");  // another node's goodbye changes nothing here
  EXPECT_EQ(w.presence.online({"ana"}), (std::vector<bool>{true}));
  w.close(0, "ana", tab);
  // A heartbeat that read the hub before the goodbye arrives after it.
  w.presence.renew(w.node(0).channel.node_id(), {"ana"}, false);
  EXPECT_EQ(w.presence.online({"ana"}), (std::vector<bool>{false}));
  // The shared state was lost (Redis came back empty): a restore writes the users again.
  w.presence.renew(w.node(0).channel.node_id(), {"ana"}, true);
  EXPECT_EQ(w.presence.online({"ana"}), (std::vector<bool>{true}));
}

TEST(UserChannel, ARestoreRequestRewritesThisNodesUsersOnTheNextTick) {
  World w;
  auto tab = std::make_shared<Tab>();
  // A socket the shared state never heard of, as after Redis restarted empty.
  w.node(0).hub.join(LiveUserChannel::room("ana"), {tab, "ana", "s"});
  w.pass(2s);
  EXPECT_EQ(w.presence.online({"ana"}), (std::vector<bool>{false})) << "a plain heartbeat does not write it";
  w.node(0).channel.request_restore();
  w.pass(100ms);
  EXPECT_EQ(w.presence.online({"ana"}), (std::vector<bool>{true}));
}

TEST(UserChannel, FriendsAreLookedUpOnlyOnChangesAndALookupFailureIsNotFatal) {
  World w;
  auto t1 = w.open(0, "ana");
  auto t2 = w.open(0, "ana");
  w.pass(5s);
  EXPECT_EQ(w.friend_lookups, 1);
  BusBackplane bp(w.bus);
  Hub hub(bp);
  LiveUserChannel failing(hub, w.presence, [](const std::string&) -> std::vector<std::string> {
    throw wp::Error(wp::ErrorCode::unavailable, "database down");
  }, 1s, w.clock);
  auto tab = std::make_shared<Tab>();
  EXPECT_NO_THROW(failing.attach("zoe", "s", tab, nullptr));
  EXPECT_EQ(w.presence.online({"zoe"}), (std::vector<bool>{true}));
}

TEST(UserChannel, ClosingAUsersSocketsEverywhereReachesTheirChannelSockets) {
  World w;
  auto a1 = w.open(0, "ana"), a2 = w.open(1, "ana"), ben = w.open(1, "ben");
  w.node(0).hub.close_user_everywhere("ana", close_code::not_authenticated, "Session ended.");
  EXPECT_EQ(a1->closed, close_code::not_authenticated);
  EXPECT_EQ(a2->closed, close_code::not_authenticated);
  EXPECT_EQ(ben->closed, 0);
}

}  // namespace
