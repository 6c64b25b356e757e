// The voice chat and screen share rules on a temporary SQLite database, with
// the parties module of one node (PartyWorld) and recording connections:
// joining (socket needed, the opener setting, the mesh limit), signaling
// addressed to one member only, its limits, server mute, the sharer limit,
// members let go on leave, kick and disconnect, and the SFU seam beyond the mesh.
#include <gtest/gtest.h>

#include <map>
#include <functional>
#include <set>
#include <tuple>

#include "modules/parties/calls_ice.hpp"
#include "modules/parties/calls_service.hpp"
#include "support/block_list.hpp"
#include "support/error_code.hpp"
#include "support/party_fixture.hpp"

namespace {

using namespace wp::parties;
using wp::Principal;
using wp::testkit::error_code_of;
using wp::testkit::eventually;
using wp::testkit::FakeConnection;
using wp::testkit::PartyWorld;

// The ws code of a refusal.
std::string ws_code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const PartyError& e) {
    return e.ws_code();
  }
  ADD_FAILURE() << "no PartyError";
  return "";
}

CallSettings small_settings() {
  CallSettings s;
  s.mesh_max = 3;
  s.max_sharers = 1;
  s.signal_limit = 5;
  s.signal_window_ms = 60'000;
  s.signal_max_bytes = 1024;
  s.ice = {{"stun:stun.example.com:3478"}, {"turn:turn.example.com:3478"}, "s3cret", 3600};
  return s;
}

// Records what the call asks of the SFU.
struct FakeSfu {
  std::vector<std::string> created, destroyed;
  std::vector<std::pair<std::string, std::string>> allowed, kicked;
  std::vector<std::tuple<std::string, std::string, bool>> mutes;            // room, user, muted
  std::vector<std::pair<std::string, std::vector<std::string>>> holds;      // room, users
  std::set<std::pair<std::string, std::string>> loud;  // (room, user) in the mix unmuted: hold_muted mutes them
  std::set<std::string> lost;  // rooms the SFU forgot (a restart)
  std::set<std::string> failing;  // rooms whose hold_muted fails (Janus answers an error)
  std::function<void()> during_hold;  // runs inside hold_muted, between the read and the mute
  bool down = false;           // create_room fails
  int next = 0;
  static std::uint64_t participant(const std::string& room, const std::string& user) {
    return std::hash<std::string>{}(room + "/" + user) & ((std::uint64_t{1} << 53) - 1);
  }
  SfuHooks rooms() {
    SfuHooks h;
    h.create_room = [this](const std::string&, SfuRoomKind kind) {
      if (down) throw wp::Error(wp::ErrorCode::unavailable, "down");
      auto id = std::string(kind == SfuRoomKind::audio ? "a" : "v") + std::to_string(++next);
      created.push_back(id);
      return id;
    };
    h.allow = [this](const std::string& room, const std::string& user) {
      if (lost.count(room)) wp::throw_not_found("no such room");
      allowed.emplace_back(room, user);
      return SfuTicket{"token-" + room + "-" + user, allowed.size(), 0};
    };
    h.kick = [this](const std::string& room, const std::string& user) { kicked.emplace_back(room, user); };
    h.destroy = [this](const std::string& room) { destroyed.push_back(room); };
    h.exists = [this](const std::string& room) { return !lost.count(room); };
    h.mute = [this](const std::string& room, const std::string& user, bool muted) {
      if (down) throw wp::Error(wp::ErrorCode::unavailable, "down");
      mutes.emplace_back(room, user, muted);
    };
    h.hold_muted = [this](const std::string& room, const std::vector<std::string>& users) {
      holds.emplace_back(room, users);
      if (failing.count(room)) throw wp::Error(wp::ErrorCode::unavailable, "janus error");
      if (during_hold) during_hold();
      std::vector<std::string> again;
      for (auto& u : users)
        if (loud.erase({room, u})) {
          again.push_back(u);
          mutes.emplace_back(room, u, true);  // as JanusRooms does: hold_muted sends the mute itself
        }
      return again;
    };
    h.participant_of = [](const std::string& room, const std::string& user) { return participant(room, user); };
    return h;
  }
};

struct CallWorld : PartyWorld {
  CallStore call_store{*db};
  CallsService calls{call_store, service, hub, limiter, small_settings()};
  CallWorld() {
    rooms.on_member_gone([this](const std::string& party_id, const std::string& user_id, bool removed) {
      calls.member_gone(party_id, user_id, removed);
    });
  }
  std::set<std::string> in_call(const Principal& who, const std::string& party_id) {
    std::set<std::string> out;
    for (auto& m : calls.state(who, party_id).call.members) out.insert(m.user_id);
    return out;
  }
  boost::json::object offer_to(const Principal& to, std::string sdp = "v=0 fake") {
    return {{"type", "rtc_offer"}, {"to", to.id}, {"sdp", sdp}};
  }
};

TEST(PartiesCalls, TurnCredentialIsCoturnsUseAuthSecret) {
  // Python: base64(hmac.new(b"s3cret", b"4600:u1", hashlib.sha1).digest())
  auto c = turn_credential("s3cret", "u1", 1000, 3600);
  EXPECT_EQ(c.username, "4600:u1");
  EXPECT_EQ(c.password, "Hr3a8OFzVgKER/q4CXdZJ4+OILI=");
  auto servers = boost::json::parse(ice_servers_json(small_settings().ice, "u1", 1000)).as_array();
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_FALSE(servers[0].as_object().contains("username"));
  EXPECT_EQ(servers[1].at("username").as_string(), "4600:u1");
  EXPECT_EQ(servers[1].at("credential").as_string(), "Hr3a8OFzVgKER/q4CXdZJ4+OILI=");
  // no secret: no TURN entry at all
  EXPECT_EQ(boost::json::parse(ice_servers_json({{}, {"turn:x"}, "", 60}, "u1", 0)).as_array().size(), 0u);
}

TEST(PartiesCalls, JoinNeedsTheSocketTheOpenerAndRoomInTheMesh) {
  CallWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), b = w.add_user("b"), c = w.add_user("c");
  auto party = w.create_party(host, {{"voice_chat", "host"}});
  for (auto* u : {&a, &b, &c}) w.service.join(*u, party.id);
  EXPECT_EQ(ws_code_of([&] { w.calls.join(a, party.id); }), "not_connected");
  auto sa = w.connect(a, party.id), sh = w.connect(host, party.id), sb = w.connect(b, party.id),
       sc = w.connect(c, party.id);
  // only the host or a moderator opens it; then members join
  EXPECT_EQ(ws_code_of([&] { w.calls.join(a, party.id); }), "call_not_open");
  auto joined = w.calls.join(host, party.id);
  EXPECT_TRUE(joined.view.call.chat.open());
  EXPECT_NE(joined.ice_servers_json.find("turn:turn.example.com:3478"), std::string::npos);
  w.calls.join(a, party.id);
  w.calls.join(a, party.id);  // again: nothing changes
  w.calls.join(b, party.id);
  EXPECT_EQ(w.in_call(host, party.id), (std::set<std::string>{host.id, a.id, b.id}));
  EXPECT_EQ(error_code_of([&] { w.calls.join(c, party.id); }), wp::ErrorCode::call_full);
  ASSERT_TRUE(eventually([&] {
    auto states = sc.conn->messages("voice_state");
    return !states.empty() && states.back().at("members").as_array().size() == 3;
  }));
  w.calls.leave(b, party.id);
  w.calls.join(c, party.id);
  EXPECT_EQ(w.in_call(host, party.id), (std::set<std::string>{host.id, a.id, c.id}));
}

TEST(PartiesCalls, SignalsReachOnlyTheAddresseeAndBothMustBeInTheCall) {
  CallWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), out = w.add_user("out");
  auto party = w.create_party(host);
  w.service.join(a, party.id);
  w.service.join(out, party.id);
  auto sh = w.connect(host, party.id), sa = w.connect(a, party.id), so = w.connect(out, party.id);
  w.calls.join(host, party.id);
  w.calls.join(a, party.id);
  w.calls.relay(host, party.id, "rtc_offer", w.offer_to(a));
  w.calls.relay(a, party.id, "rtc_ice", {{"to", host.id}, {"candidate", {{"candidate", "candidate:1 1 udp 1 1.2.3.4 5 typ host"}}}});
  ASSERT_TRUE(eventually([&] { return sa.conn->messages("rtc_offer").size() == 1; }));
  auto offer = sa.conn->messages("rtc_offer")[0];
  EXPECT_EQ(offer.at("from").at("id").as_string(), host.id);
  EXPECT_EQ(offer.at("sdp").as_string(), "v=0 fake");
  ASSERT_TRUE(eventually([&] { return sh.conn->messages("rtc_ice").size() == 1; }));
  EXPECT_TRUE(so.conn->messages("rtc_offer").empty());
  EXPECT_TRUE(so.conn->messages("rtc_ice").empty());
  EXPECT_TRUE(sh.conn->messages("rtc_offer").empty());
  // a party member outside the call may neither send nor be addressed
  EXPECT_EQ(ws_code_of([&] { w.calls.relay(out, party.id, "rtc_offer", w.offer_to(a)); }), "not_in_call");
  EXPECT_EQ(ws_code_of([&] { w.calls.relay(a, party.id, "rtc_offer", w.offer_to(out)); }), "peer_not_in_call");
  EXPECT_EQ(ws_code_of([&] { w.calls.relay(a, party.id, "rtc_offer", w.offer_to(a)); }), "invalid_message");
  EXPECT_EQ(ws_code_of([&] { w.calls.relay(a, party.id, "rtc_answer", {{"to", host.id}}); }), "invalid_message");
  EXPECT_EQ(ws_code_of([&] { w.calls.relay(a, party.id, "rtc_offer", w.offer_to(host, std::string(2000, 'x'))); }),
            "message_too_large");
  EXPECT_TRUE(so.conn->messages("rtc_offer").empty());
}

TEST(PartiesCalls, SignalingIsRateLimitedPerMember) {
  CallWorld w;
  auto host = w.add_user("host"), a = w.add_user("a");
  auto party = w.create_party(host);
  w.service.join(a, party.id);
  auto sh = w.connect(host, party.id), sa = w.connect(a, party.id);
  w.calls.join(host, party.id);
  w.calls.join(a, party.id);
  for (int i = 0; i < 5; ++i) w.calls.relay(host, party.id, "rtc_offer", w.offer_to(a));
  EXPECT_EQ(error_code_of([&] { w.calls.relay(host, party.id, "rtc_offer", w.offer_to(a)); }), wp::ErrorCode::rate_limited);
  // the other member has a budget of their own
  w.calls.relay(a, party.id, "rtc_answer", {{"to", host.id}, {"sdp", "v=0 answer"}});
  ASSERT_TRUE(eventually([&] { return sa.conn->messages("rtc_offer").size() == 5; }));
}

TEST(PartiesCalls, ServerMuteIsForModeratorsAndOutlivesARejoin) {
  CallWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), b = w.add_user("b");
  auto party = w.create_party(host);
  w.service.join(a, party.id);
  w.service.join(b, party.id);
  auto sh = w.connect(host, party.id), sa = w.connect(a, party.id), sb = w.connect(b, party.id);
  for (auto* u : {&host, &a, &b}) w.calls.join(*u, party.id);
  EXPECT_EQ(error_code_of([&] { w.calls.server_mute(b, party.id, a.id, true); }), wp::ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.calls.server_mute(host, party.id, host.id, true); }), wp::ErrorCode::forbidden);
  auto m = w.calls.server_mute(host, party.id, a.id, true);
  EXPECT_TRUE(m.server_muted);
  EXPECT_TRUE(m.muted);
  EXPECT_EQ(ws_code_of([&] { w.calls.set_self(a, party.id, false, std::nullopt); }), "server_muted");
  EXPECT_TRUE(w.calls.set_self(a, party.id, std::nullopt, true).deafened);
  w.calls.leave(a, party.id);
  auto again = w.calls.join(a, party.id);
  ASSERT_TRUE(again.view.me);
  EXPECT_TRUE(again.view.me->server_muted);
  EXPECT_TRUE(again.view.me->muted);
  w.calls.server_mute(host, party.id, a.id, false);
  EXPECT_FALSE(w.calls.set_self(a, party.id, false, std::nullopt).muted);
}

TEST(PartiesCalls, SharersAreLimitedAndTheHostStopsAShare) {
  CallWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), b = w.add_user("b");
  auto party = w.create_party(host);
  w.service.join(a, party.id);
  w.service.join(b, party.id);
  auto sh = w.connect(host, party.id), sa = w.connect(a, party.id), sb = w.connect(b, party.id);
  EXPECT_EQ(ws_code_of([&] { w.calls.start_share(a, party.id, ShareKind::tab); }), "not_in_call");
  for (auto* u : {&host, &a, &b}) w.calls.join(*u, party.id);
  auto share = w.calls.start_share(a, party.id, ShareKind::tab);
  EXPECT_EQ(ws_code_of([&] { w.calls.start_share(a, party.id, ShareKind::screen); }), "already_sharing");
  EXPECT_EQ(ws_code_of([&] { w.calls.start_share(b, party.id, ShareKind::screen); }), "share_limit");
  EXPECT_EQ(error_code_of([&] { w.calls.stop_share(b, party.id, share.id); }), wp::ErrorCode::forbidden);
  auto stopped = w.calls.stop_share(host, party.id, share.id);
  EXPECT_EQ(stopped.ended_by, host.id);
  auto next = w.calls.start_share(b, party.id, ShareKind::window);
  ASSERT_TRUE(eventually([&] {
    auto states = sh.conn->messages("screen_share_state");
    return !states.empty() && states.back().at("shares").as_array().size() == 1 &&
           states.back().at("shares").as_array()[0].at("kind").as_string() == "window";
  }));
  // leaving the call ends the share
  w.calls.leave(b, party.id);
  EXPECT_TRUE(w.call_store.share(next.id)->ended_at.has_value());
  long long n = 0;
  EXPECT_EQ(w.calls.shares(host, party.id, 10, 0, n).size(), 2u);
  EXPECT_EQ(n, 2);
}

TEST(PartiesCalls, LeavingKickAndTheLastSocketLetAMemberGo) {
  CallWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), b = w.add_user("b"), c = w.add_user("c");
  auto party = w.create_party(host);
  for (auto* u : {&a, &b, &c}) w.service.join(*u, party.id);
  auto sh = w.connect(host, party.id), sa = w.connect(a, party.id), sb1 = w.connect(b, party.id),
       sb2 = w.connect(b, party.id), sc = w.connect(c, party.id);
  for (auto* u : {&host, &a, &b}) w.calls.join(*u, party.id);
  // kicked: out of the party and the call
  w.service.moderate(host, party.id, a.id, ModerationAction::kick);
  EXPECT_EQ(w.in_call(host, party.id), (std::set<std::string>{host.id, b.id}));
  // one of two sockets closes: still in; the last one: gone
  w.disconnect(b, sb1);
  EXPECT_EQ(w.in_call(host, party.id), (std::set<std::string>{host.id, b.id}));
  w.disconnect(b, sb2);
  EXPECT_EQ(w.in_call(host, party.id), (std::set<std::string>{host.id}));
  ASSERT_TRUE(eventually([&] {
    auto states = sc.conn->messages("voice_state");
    return !states.empty() && states.back().at("members").as_array().size() == 1;
  }));
  // leaving the party
  w.calls.join(c, party.id);
  w.service.leave(c, party.id);
  EXPECT_EQ(w.in_call(host, party.id), (std::set<std::string>{host.id}));
}

TEST(PartiesCalls, BeyondTheMeshTheSfuCarriesTheCall) {
  CallWorld w;
  FakeSfu sfu;
  w.calls.set_sfu(sfu.rooms());
  std::vector<Principal> users{w.add_user("host")};
  auto party = w.create_party(users[0]);
  std::vector<PartyWorld::Socket> sockets{w.connect(users[0], party.id)};
  for (int i = 1; i < 5; ++i) {
    users.push_back(w.add_user("u" + std::to_string(i)));
    w.service.join(users.back(), party.id);
    sockets.push_back(w.connect(users.back(), party.id));
  }
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(w.calls.join(users[i], party.id).sfu);
  EXPECT_TRUE(sfu.created.empty());
  // the fourth is beyond mesh_max (3): rooms are made, every member gets tokens
  auto fourth = w.calls.join(users[3], party.id);
  ASSERT_TRUE(fourth.sfu);
  EXPECT_EQ(sfu.created.size(), 2u);
  EXPECT_EQ(fourth.sfu->audio.token, "token-" + fourth.sfu->audio_room + "-" + users[3].id);
  EXPECT_GT(fourth.sfu->video.participant_id, 0u);
  EXPECT_EQ(fourth.view.call.chat.mode(), CallMode::sfu);
  ASSERT_TRUE(eventually([&] { return sockets[0].conn->messages("call_sfu").size() == 1; }));
  EXPECT_EQ(sockets[0].conn->messages("call_sfu")[0].at("sfu").at("audio").at("token").as_string(),
            "token-" + fourth.sfu->audio_room + "-" + users[0].id);
  EXPECT_TRUE(sockets[4].conn->messages("call_sfu").empty());
  auto fifth = w.calls.join(users[4], party.id);
  ASSERT_TRUE(fifth.sfu);
  EXPECT_EQ(sfu.created.size(), 2u);
  // leaving is a kick from both rooms; the last one out destroys them
  w.calls.leave(users[4], party.id);
  EXPECT_EQ(sfu.kicked.size(), 2u);
  for (int i = 0; i < 4; ++i) w.calls.leave(users[i], party.id);
  EXPECT_EQ(sfu.destroyed.size(), 2u);
  EXPECT_FALSE(w.calls.state(users[0], party.id).call.chat.open());
}

// Billing (#18): beyond the mesh only when the host's plan has voice_above_mesh.
struct FixedPlans : wp::Plans {
  std::map<std::string, wp::PlanLimits> by_user;
  wp::PlanLimits limits_of(const std::string& user_id) override {
    auto it = by_user.find(user_id);
    return it == by_user.end() ? wp::PlanLimits{} : it->second;
  }
  std::map<std::string, std::string> paying_users() override { return {}; }
  bool has_plan(const std::string& id) const override { return id == "free"; }
};

TEST(PartiesCalls, BeyondTheMeshNeedsTheHostsPlan) {
  CallWorld w;
  FakeSfu sfu;
  w.calls.set_sfu(sfu.rooms());
  FixedPlans plans;
  w.calls.set_plans(plans);
  std::vector<Principal> users{w.add_user("host")};
  wp::PlanLimits free_plan;
  free_plan.voice_above_mesh = false;
  plans.by_user[users[0].id] = free_plan;
  auto party = w.create_party(users[0]);
  std::vector<PartyWorld::Socket> sockets{w.connect(users[0], party.id)};
  for (int i = 1; i < 4; ++i) {
    users.push_back(w.add_user("u" + std::to_string(i)));
    w.service.join(users.back(), party.id);
    sockets.push_back(w.connect(users.back(), party.id));
  }
  for (int i = 0; i < 3; ++i) w.calls.join(users[i], party.id);
  try {
    w.calls.join(users[3], party.id);
    ADD_FAILURE() << "joined beyond the mesh on a plan without it";
  } catch (const wp::Error& e) {
    EXPECT_EQ(e.code(), wp::ErrorCode::plan_limit);
    EXPECT_EQ(e.fields().at("limit"), std::vector<std::string>{"voice_above_mesh"});
  }
  EXPECT_TRUE(sfu.created.empty());
  // The host upgrades: the same join goes through the SFU.
  plans.by_user[users[0].id].voice_above_mesh = true;
  EXPECT_TRUE(w.calls.join(users[3], party.id).sfu);
}

// A call through the SFU of users[0..count) (mesh_max 3, so four members move it there).
struct SfuCall {
  CallWorld w;
  FakeSfu sfu;
  wp::testkit::BlockList blocks;
  std::vector<Principal> users;
  std::vector<PartyWorld::Socket> sockets;
  PartyRow party;
  explicit SfuCall(int count) {
    w.calls.set_sfu(sfu.rooms());
    w.calls.set_relations(blocks);
    w.service.on_party_ended([this](const std::string& id) { w.calls.party_ended(id); });
    users.push_back(w.add_user("host"));
    party = w.create_party(users[0]);
    sockets.push_back(w.connect(users[0], party.id));
    for (int i = 1; i < count + 1; ++i) {
      users.push_back(w.add_user("u" + std::to_string(i)));
      w.service.join(users.back(), party.id);
      sockets.push_back(w.connect(users.back(), party.id));
    }
  }
  void join(int from, int to) {
    for (int i = from; i < to; ++i) w.calls.join(users[static_cast<std::size_t>(i)], party.id);
  }
  std::string audio_room() { return w.calls.state(users[0], party.id).call.chat.sfu_audio_room.value_or(""); }
};

TEST(PartiesCalls, ThePartysEndEndsItsCallAndDestroysTheRooms) {
  SfuCall c(4);
  c.join(0, 4);
  ASSERT_EQ(c.sfu.created.size(), 2u);
  c.w.service.end(c.users[0], c.party.id);
  EXPECT_FALSE(c.w.calls.state(c.users[0], c.party.id).call.chat.open());
  EXPECT_TRUE(c.w.calls.state(c.users[0], c.party.id).call.members.empty());
  EXPECT_EQ(c.sfu.destroyed, c.sfu.created);
  ASSERT_TRUE(eventually([&] { return !c.sockets[1].conn->messages("call_ended").empty(); }));
  EXPECT_EQ(c.sockets[1].conn->messages("call_ended")[0].at("reason").as_string(), "party_ended");
}

TEST(PartiesCalls, ABlockInACallThroughTheSfuTakesTheLaterOfThePairOut) {
  SfuCall c(5);
  c.join(0, 4);  // through the SFU now
  c.blocks.block(c.users[3].id, c.users[1].id);
  c.w.calls.blocks_changed(c.users[3].id, c.users[1].id, true);
  EXPECT_EQ(c.w.in_call(c.users[0], c.party.id), (std::set<std::string>{c.users[0].id, c.users[1].id, c.users[2].id}));
  EXPECT_EQ(c.sfu.kicked.size(), 2u);
  EXPECT_EQ(c.sfu.kicked[0].second, c.users[3].id);
  ASSERT_TRUE(eventually([&] { return !c.sockets[3].conn->messages("call_ended").empty(); }));
  EXPECT_EQ(c.sockets[3].conn->messages("call_ended")[0].at("reason").as_string(), "blocked");
  EXPECT_TRUE(c.sockets[1].conn->messages("call_ended").empty());
  // and their join is refused while the other is in it; another's is not
  EXPECT_EQ(ws_code_of([&] { c.w.calls.join(c.users[3], c.party.id); }), "blocked_in_call");
  EXPECT_TRUE(c.w.calls.join(c.users[4], c.party.id).sfu);
}

TEST(PartiesCalls, MovingToTheSfuPartsABlockedPairOfTheMesh) {
  SfuCall c(4);
  c.blocks.block(c.users[0].id, c.users[2].id);
  c.join(0, 3);  // a mesh: the pair simply exchanges no signaling
  EXPECT_EQ(c.w.in_call(c.users[0], c.party.id).size(), 3u);
  c.join(3, 4);  // the SFU would mix them: the later (users[2]) is taken out
  EXPECT_EQ(c.w.in_call(c.users[0], c.party.id), (std::set<std::string>{c.users[0].id, c.users[1].id, c.users[3].id}));
  ASSERT_TRUE(eventually([&] { return !c.sockets[2].conn->messages("call_ended").empty(); }));
}

TEST(PartiesCalls, RoomsLostByTheSfuAreMadeAgainAndEveryMemberGetsNewPasses) {
  SfuCall c(4);
  c.join(0, 4);
  auto old_audio = c.audio_room();
  c.w.calls.recover_sfu_rooms();  // nothing lost: nothing made
  EXPECT_EQ(c.sfu.created.size(), 2u);
  c.sfu.lost = {c.sfu.created[0], c.sfu.created[1]};
  c.w.calls.recover_sfu_rooms();
  ASSERT_EQ(c.sfu.created.size(), 4u);
  EXPECT_EQ(c.audio_room(), c.sfu.created[2]);
  EXPECT_NE(c.audio_room(), old_audio);
  for (int i = 0; i < 4; ++i) {
    auto& conn = *c.sockets[static_cast<std::size_t>(i)].conn;
    ASSERT_TRUE(eventually([&] {
      auto m = conn.messages("call_sfu");
      return !m.empty() && m.back().at("sfu").at("audio").at("token").as_string() ==
                               "token-" + c.sfu.created[2] + "-" + c.users[static_cast<std::size_t>(i)].id;
    })) << i;
  }
  EXPECT_EQ(c.w.in_call(c.users[0], c.party.id).size(), 4u);
}

TEST(PartiesCalls, AJoinFindingTheRoomsLostMakesThemAgain) {
  SfuCall c(5);
  c.join(0, 4);
  c.sfu.lost = {c.sfu.created[0], c.sfu.created[1]};
  auto fifth = c.w.calls.join(c.users[4], c.party.id);
  ASSERT_TRUE(fifth.sfu);
  EXPECT_EQ(fifth.sfu->audio_room, c.sfu.created[2]);
}

TEST(PartiesCalls, WhenTheSfuCannotMakeNewRoomsTheCallEndsClearly) {
  SfuCall c(4);
  c.join(0, 4);
  c.sfu.lost = {c.sfu.created[0], c.sfu.created[1]};
  c.sfu.down = true;
  c.w.calls.recover_sfu_rooms();
  EXPECT_FALSE(c.w.calls.state(c.users[0], c.party.id).call.chat.open());
  for (auto& s : c.sockets) {
    ASSERT_TRUE(eventually([&] { return !s.conn->messages("call_ended").empty(); }));
    EXPECT_EQ(s.conn->messages("call_ended")[0].at("reason").as_string(), "sfu_lost");
  }
}

// Server mute through the SFU: the member is silenced in the mix (and let
// speak again) on the voice room; a member who got out of the mute (Janus lets
// them unmute themselves, a renewed room admits them unmuted) is muted again
// by hold_sfu_mutes; voice_state names each member's participant id.
TEST(PartiesCalls, AServerMuteReachesTheSfuMix) {
  SfuCall c(5);
  c.join(0, 3);
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[2].id, true);  // a mesh: nothing to do in the SFU
  EXPECT_TRUE(c.sfu.mutes.empty());
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[2].id, false);
  c.join(3, 4);  // through the SFU now
  auto audio = c.audio_room();
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[1].id, true);
  using Mute = std::tuple<std::string, std::string, bool>;
  EXPECT_EQ(c.sfu.mutes, (std::vector<Mute>{{audio, c.users[1].id, true}}));
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[1].id, true);  // again: no change, nothing sent
  EXPECT_EQ(c.sfu.mutes.size(), 1u);
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[1].id, false);
  EXPECT_EQ(c.sfu.mutes.back(), (Mute{audio, c.users[1].id, false}));
  // Janus unavailable: the mute still holds in the call (and the keeper applies it later)
  c.sfu.down = true;
  auto row = c.w.calls.server_mute(c.users[0], c.party.id, c.users[3].id, true);
  EXPECT_TRUE(row.server_muted);
  c.sfu.down = false;

  // voice_state tells every member's participant id in the voice room
  ASSERT_TRUE(eventually([&] {
    auto states = c.sockets[4].conn->messages("voice_state");
    return !states.empty() && states.back().at("members").as_array().size() == 4 &&
           states.back().at("members").as_array()[3].at("server_muted").as_bool();
  }));
  auto states = c.sockets[4].conn->messages("voice_state");
  for (auto& m : states.back().at("members").as_array()) {
    std::string user(m.at("user").at("id").as_string());
    EXPECT_EQ(m.at("participant_id").to_number<std::uint64_t>(), FakeSfu::participant(audio, user)) << user;
  }
  EXPECT_EQ(c.w.calls.state(c.users[0], c.party.id).call.members[0].sfu_participant_id,
            FakeSfu::participant(audio, c.users[0].id));
}

TEST(PartiesCalls, ServerMutesAreHeldInTheSfuMix) {
  SfuCall c(5);
  c.join(0, 4);
  auto audio = c.audio_room();
  c.w.calls.hold_sfu_mutes();  // nobody server-muted: nothing asked
  EXPECT_TRUE(c.sfu.holds.empty());
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[1].id, true);
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[3].id, true);
  c.sfu.loud = {{audio, c.users[3].id}, {audio, c.users[2].id}};  // users[3] unmuted themselves; [2] is not muted
  c.w.calls.hold_sfu_mutes();
  ASSERT_EQ(c.sfu.holds.size(), 1u);
  EXPECT_EQ(c.sfu.holds[0].first, audio);
  std::set<std::string> held(c.sfu.holds[0].second.begin(), c.sfu.holds[0].second.end());
  EXPECT_EQ(held, (std::set<std::string>{c.users[1].id, c.users[3].id}));
  EXPECT_EQ(c.sfu.loud, (std::set<std::pair<std::string, std::string>>{{audio, c.users[2].id}}));
  // lifted, or out of the call: no longer held
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[1].id, false);
  c.w.calls.leave(c.users[3], c.party.id);
  c.w.calls.hold_sfu_mutes();
  EXPECT_EQ(c.sfu.holds.size(), 1u);
}

// A lift that lands while a round holds the mutes: that round's mute came
// after the lift's unmute, so the member would stay silent; it is taken back.
TEST(PartiesCalls, AMuteLiftedDuringTheHoldRoundIsNotUndoneByIt) {
  SfuCall c(4);
  c.join(0, 4);
  auto audio = c.audio_room();
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[2].id, true);
  c.sfu.loud = {{audio, c.users[2].id}};
  c.sfu.during_hold = [&] { c.w.calls.server_mute(c.users[0], c.party.id, c.users[2].id, false); };
  c.w.calls.hold_sfu_mutes();
  using Mute = std::tuple<std::string, std::string, bool>;
  EXPECT_EQ(c.sfu.mutes.back(), (Mute{audio, c.users[2].id, false}));
  EXPECT_FALSE(c.w.calls.state(c.users[0], c.party.id).call.members[2].server_muted);
}

// One room Janus keeps failing on: the parties after it still get their mutes held.
TEST(PartiesCalls, ARoomJanusFailsOnDoesNotStopTheHoldOfTheOthers) {
  SfuCall c(4);
  c.join(0, 4);
  auto second = c.w.create_party(c.users[0]);
  for (int i = 1; i < 4; ++i) c.w.service.join(c.users[static_cast<std::size_t>(i)], second.id);
  std::vector<PartyWorld::Socket> sockets;  // a member opens the party's socket before joining the call
  for (int i = 0; i < 4; ++i) sockets.push_back(c.w.connect(c.users[static_cast<std::size_t>(i)], second.id));
  for (int i = 0; i < 4; ++i) c.w.calls.join(c.users[static_cast<std::size_t>(i)], second.id);
  auto first_room = c.audio_room();
  auto second_room = c.w.calls.state(c.users[0], second.id).call.chat.sfu_audio_room.value_or("");
  ASSERT_FALSE(second_room.empty());
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[1].id, true);
  c.w.calls.server_mute(c.users[0], second.id, c.users[1].id, true);
  c.sfu.loud = {{first_room, c.users[1].id}, {second_room, c.users[1].id}};
  c.sfu.failing = {first_room, second_room};
  c.sfu.failing.erase(c.party.id < second.id ? second_room : first_room);  // the first party in order fails
  EXPECT_NO_THROW(c.w.calls.hold_sfu_mutes());
  EXPECT_EQ(c.sfu.holds.size(), 2u);
  EXPECT_EQ(c.sfu.loud.size(), 1u) << "the party after the failing one was held";
}

TEST(PartiesCalls, AfterTheSfuLostItsRoomsAServerMutedMemberStaysMuted) {
  SfuCall c(4);
  c.join(0, 4);
  c.w.calls.server_mute(c.users[0], c.party.id, c.users[2].id, true);
  c.sfu.lost = {c.sfu.created[0], c.sfu.created[1]};
  c.w.calls.recover_sfu_rooms();
  auto renewed = c.audio_room();
  ASSERT_EQ(renewed, c.sfu.created[2]);
  // the member joins the new room unmuted: the keeper mutes them there
  c.sfu.loud = {{renewed, c.users[2].id}};
  c.w.calls.hold_sfu_mutes();
  ASSERT_EQ(c.sfu.holds.size(), 1u);
  EXPECT_EQ(c.sfu.holds[0], (std::pair<std::string, std::vector<std::string>>{renewed, {c.users[2].id}}));
  EXPECT_TRUE(c.sfu.loud.empty());
  // and every member learns their participant ids in the new room
  ASSERT_TRUE(eventually([&] {
    auto states = c.sockets[1].conn->messages("voice_state");
    return !states.empty() && states.back().at("members").as_array()[0].at("participant_id").to_number<std::uint64_t>() ==
                                  FakeSfu::participant(renewed, c.users[0].id);
  }));
}

}  // namespace
