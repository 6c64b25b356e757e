// What the modules publish on wp::DomainEvents (docs/architecture.md,
// "Domain events"): a party's life, and a friendship made, on a temporary
// SQLite database with a listener that records every event.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "core/domain_events.hpp"
#include "modules/social/service.hpp"
#include "support/party_fixture.hpp"
#include "support/recording_channel.hpp"

namespace {

using wp::DomainEvent;
using wp::DomainEvents;

struct Recorder {
  std::mutex mu;
  std::vector<DomainEvent> seen;
  void listen(DomainEvents& events) {
    events.subscribe([this](const DomainEvent& e) {
      std::lock_guard lock(mu);
      seen.push_back(e);
    });
  }
  std::vector<std::string> types() {
    std::lock_guard lock(mu);
    std::vector<std::string> out;
    for (auto& e : seen) out.push_back(e.type);
    return out;
  }
  std::vector<DomainEvent> of(const std::string& type) {
    std::lock_guard lock(mu);
    std::vector<DomainEvent> out;
    for (auto& e : seen)
      if (e.type == type) out.push_back(e);
    return out;
  }
};

TEST(DomainEvents, EveryListenerHearsEachEventAndNobodyWiredIsQuiet) {
  DomainEvents events;
  Recorder a, b;
  a.listen(events);
  b.listen(events);
  wp::publish_event(&events, {.type = "party.created", .user_id = "u1", .party_id = "p1"});
  wp::publish_event(nullptr, {.type = "party.created"});
  ASSERT_EQ(a.types(), std::vector<std::string>{"party.created"});
  EXPECT_EQ(b.types(), a.types());
  EXPECT_EQ(a.seen[0].amount, 1);
  EXPECT_EQ(a.seen[0].party_id, "p1");
}

TEST(DomainEvents, APartysLifeIsPublishedInOrderWithWhoAndWhere) {
  wp::testkit::PartyWorld w;
  DomainEvents events;
  Recorder r;
  r.listen(events);
  w.service.set_events(events);
  w.rooms.set_events(events);
  auto host = w.add_user("host"), guest = w.add_user("guest");
  auto party = w.create_party(host);
  w.service.join(guest, party.id);
  auto hs = w.connect(host, party.id);
  auto hs2 = w.connect(host, party.id);  // a second tab: no second party.connected
  w.rooms.control(hs.room, host.id, {.action = wp::parties::ControlAction::pause});
  w.service.post_chat(host, party.id, "hello");
  w.service.react(host, party.id, "🎉", 1.0);
  w.disconnect(host, hs2);
  w.disconnect(host, hs);
  w.service.leave(guest, party.id);
  EXPECT_EQ(r.types(), (std::vector<std::string>{"party.created", "party.joined", "party.connected", "party.playback",
                                                 "party.chat_sent", "party.reaction", "party.disconnected",
                                                 "party.left"}));
  for (auto& e : r.seen) EXPECT_EQ(e.party_id, party.id) << e.type;
  EXPECT_EQ(r.of("party.created")[0].user_id, host.id);
  EXPECT_EQ(r.of("party.joined")[0].user_id, guest.id);
  EXPECT_EQ(r.of("party.left")[0].user_id, guest.id);
  EXPECT_EQ(r.of("party.playback")[0].data_json, R"({"action":"pause"})");
}

TEST(DomainEvents, AFriendshipIsPublishedOnceForEachOfTheTwo) {
  wp::testkit::TempDatabase tdb;
  wp::social::Store store{*tdb.db};
  wp::testkit::RecordingChannel channel;
  wp::social::SocialService social{store, channel};
  DomainEvents events;
  Recorder r;
  r.listen(events);
  social.set_events(events);
  auto a = tdb.add_user("ann"), b = tdb.add_user("bob");
  social.send_request(a, b.id);
  EXPECT_TRUE(r.types().empty()) << "a request is not a friendship";
  social.accept(b, a.id);
  auto added = r.of("friend.added");
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0].user_id, b.id);
  EXPECT_EQ(added[0].data_json, R"({"friend_id":")" + a.id + "\"}");
  EXPECT_EQ(added[1].user_id, a.id);
}

}  // namespace
