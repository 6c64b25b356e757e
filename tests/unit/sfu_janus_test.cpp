// The Janus client without a network: the request and answer shapes
// (sfu/janus_api), the derived passes (sfu/janus_passes), and JanusRooms
// against a Janus in memory (support/fake_janus.hpp). The real Janus is
// tests/janus/janus_rooms_test.cpp.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>

#include "core/config.hpp"
#include "sfu/janus_api.hpp"
#include "sfu/janus_passes.hpp"
#include "sfu/janus_rooms.hpp"
#include "sfu/setup.hpp"
#include "support/error_code.hpp"
#include "support/fake_janus.hpp"

namespace {

namespace json = boost::json;
using namespace wp::sfu;
using wp::SfuKind;
using wp::SfuRoom;
using wp::testkit::FakeJanus;

const JanusAuth kAuth{"api", "admin"};

TEST(JanusApi, RequestsCarryTheSecretsAndATransaction) {
  auto create = janus_request("create", kAuth);
  EXPECT_EQ(create.at("janus"), "create");
  EXPECT_EQ(create.at("apisecret"), "api");
  EXPECT_EQ(create.at("transaction").as_string().size(), 16u);
  EXPECT_NE(janus_request("create", kAuth).at("transaction"), create.at("transaction"));
  EXPECT_FALSE(janus_request("create", JanusAuth{"", "admin"}).contains("apisecret"));

  EXPECT_EQ(attach_request(SfuKind::audio, kAuth).at("plugin"), "janus.plugin.audiobridge");
  EXPECT_EQ(attach_request(SfuKind::video, kAuth).at("plugin"), "janus.plugin.videoroom");

  auto message = message_request(participants_body(7), kAuth);
  EXPECT_EQ(message.at("janus"), "message");
  EXPECT_EQ(message.at("body").at("request"), "listparticipants");

  auto add = admin_request("add_token", kAuth, {{"token", "t"}});
  EXPECT_EQ(add.at("janus"), "add_token");
  EXPECT_EQ(add.at("admin_secret"), "admin");
  EXPECT_EQ(add.at("token"), "t");
  EXPECT_FALSE(add.contains("apisecret"));
}

TEST(JanusApi, RoomBodiesArePrivateTemporaryAndTokenChecked) {
  for (auto kind : {SfuKind::audio, SfuKind::video}) {
    auto create = create_room_body(kind, 42, "s3cret", "party p");
    EXPECT_EQ(create.at("request"), "create");
    EXPECT_EQ(create.at("room").to_number<std::uint64_t>(), 42u);
    EXPECT_EQ(create.at("secret"), "s3cret");
    EXPECT_EQ(create.at("is_private"), true);
    EXPECT_EQ(create.at("permanent"), false);
    // An empty list, not a missing one: Janus then admits no one until allowed.
    EXPECT_TRUE(create.at("allowed").as_array().empty());
    EXPECT_EQ(create.contains("publishers"), kind == SfuKind::video);
    // Voice rooms tell their participants who is talking; share rooms have no voice.
    EXPECT_EQ(create.contains("audiolevel_event"), kind == SfuKind::audio);
  }
  auto voice = create_room_body(SfuKind::audio, 42, "s", "party p");
  EXPECT_EQ(voice.at("audiolevel_event"), true);
  EXPECT_EQ(voice.at("audio_active_packets"), 50);
  EXPECT_EQ(voice.at("audio_level_average"), 55);
  EXPECT_EQ(json::serialize(mute_body(42, "s", 9, true)), R"({"request":"mute","room":42,"secret":"s","id":9})");
  EXPECT_EQ(json::serialize(mute_body(42, "s", 9, false)), R"({"request":"unmute","room":42,"secret":"s","id":9})");
  auto allowed = allowed_body(42, "s", "remove", {"a", "b"});
  EXPECT_EQ(json::serialize(allowed),
            R"({"request":"allowed","room":42,"secret":"s","action":"remove","allowed":["a","b"]})");
  EXPECT_EQ(json::serialize(kick_body(42, "s", 9)), R"({"request":"kick","room":42,"secret":"s","id":9})");
  EXPECT_EQ(json::serialize(destroy_body(42, "s")),
            R"({"request":"destroy","room":42,"secret":"s","permanent":false})");
}

TEST(JanusApi, AnswersAreReadOrRefused) {
  EXPECT_EQ(read_id(read_answer(200, R"({"janus":"success","transaction":"x","data":{"id":3058209607165078}})", "")),
            3058209607165078u);
  try {
    read_answer(200, R"({"janus":"error","error":{"code":458,"reason":"No such session 1"}})", "");
    FAIL() << "no error";
  } catch (const JanusError& e) {
    EXPECT_EQ(e.code, kJanusNoSuchSession);
    EXPECT_STREQ(e.what(), "No such session 1");
  }
  EXPECT_THROW(read_answer(0, "", "Connection refused"), JanusBroken);
  EXPECT_THROW(read_answer(502, "<html>bad gateway</html>", ""), JanusBroken);
  EXPECT_THROW(read_answer(200, R"({"no":"janus"})", ""), JanusBroken);

  // A plugin's answer, as AudioBridge sends it.
  auto created = read_answer(200, R"({"janus":"success","plugindata":{"plugin":"janus.plugin.audiobridge",
      "data":{"audiobridge":"created","room":777,"permanent":false}}})", "");
  EXPECT_EQ(read_plugin_data(created, SfuKind::audio).at("room").to_number<std::uint64_t>(), 777u);
  EXPECT_THROW(read_plugin_data(created, SfuKind::video), JanusBroken);
  auto exists = read_answer(200, R"({"janus":"success","plugindata":{"plugin":"janus.plugin.audiobridge",
      "data":{"audiobridge":"event","error_code":486,"error":"Room 777 already exists"}}})", "");
  try {
    read_plugin_data(exists, SfuKind::audio);
    FAIL() << "no error";
  } catch (const JanusError& e) {
    EXPECT_EQ(e.code, plugin_of(SfuKind::audio).room_exists);
  }

  auto people = read_plugin_data(read_answer(200, R"({"janus":"success","plugindata":{"plugin":"janus.plugin.videoroom",
      "data":{"videoroom":"participants","room":1,"participants":[{"id":44,"publisher":false},{"id":45}]}}})", ""),
                                 SfuKind::video);
  EXPECT_EQ(read_participant_ids(people), (std::vector<std::uint64_t>{44, 45}));
  auto voices = read_participants(read_plugin_data(read_answer(200, R"({"janus":"success","plugindata":{
      "plugin":"janus.plugin.audiobridge","data":{"audiobridge":"participants","room":1,"participants":[
      {"id":44,"display":"u","setup":true,"muted":true,"talking":false},{"id":45,"setup":false,"muted":false}]}}})", ""),
                                                   SfuKind::audio));
  ASSERT_EQ(voices.size(), 2u);
  EXPECT_EQ(voices[0].id, 44u);
  EXPECT_TRUE(voices[0].muted);
  EXPECT_EQ(voices[1].id, 45u);
  EXPECT_FALSE(voices[1].muted);
  auto tokens = read_answer(200, R"({"janus":"success","data":{"tokens":[{"token":"a","allowed_plugins":[]},
      {"token":"b","allowed_plugins":["janus.plugin.audiobridge"]}]}})", "");
  EXPECT_EQ(read_tokens(tokens), (std::vector<std::string>{"a", "b"}));
}

TEST(JanusPasses, TokensNameRoomAndUserAndAreRandom) {
  SfuRoom audio{SfuKind::audio, 77}, video{SfuKind::video, 77};
  auto t1 = new_token(audio, "u-1"), t2 = new_token(audio, "u-1");
  EXPECT_NE(t1, t2);
  EXPECT_EQ(t1.rfind("wpa.77.u-1.", 0), 0u);
  EXPECT_EQ(token_user(audio, t1), "u-1");
  EXPECT_EQ(token_user(video, t1), std::nullopt);
  EXPECT_EQ(token_user(SfuRoom{SfuKind::audio, 7}, t1), std::nullopt);
  EXPECT_EQ(token_user(audio, "wpa.77."), std::nullopt);
  EXPECT_EQ(new_token(video, "u").rfind("wpv.77.u.", 0), 0u);
}

TEST(JanusPasses, SecretsAndIdsAreDerivedTheSameOnEveryNode) {
  SfuRoom audio{SfuKind::audio, 77}, video{SfuKind::video, 77};
  EXPECT_EQ(room_secret("k", audio), room_secret("k", audio));
  EXPECT_NE(room_secret("k", audio), room_secret("k", video));
  EXPECT_NE(room_secret("k", audio), room_secret("other", audio));
  std::set<std::uint64_t> ids;
  for (int i = 0; i < 200; ++i) {
    auto id = participant_id("k", audio, "user" + std::to_string(i));
    EXPECT_GT(id, 0u);
    EXPECT_LT(id, std::uint64_t{1} << 53);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 200u);
  EXPECT_EQ(participant_id("k", audio, "user1"), participant_id("k", audio, "user1"));
  for (int i = 0; i < 100; ++i) {
    auto room = random_room_id();
    EXPECT_GT(room, 0u);
    EXPECT_LT(room, std::uint64_t{1} << 53);
  }
}

TEST(SfuRoomRef, IsKindAndNumberAsText) {
  SfuRoom room{SfuKind::video, 9007199254740991};
  EXPECT_EQ(wp::room_ref(room), "video:9007199254740991");
  auto back = wp::parse_room_ref("video:9007199254740991");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, SfuKind::video);
  EXPECT_EQ(back->id, room.id);
  EXPECT_EQ(wp::parse_room_ref("audio:12")->kind, SfuKind::audio);
  for (auto bad : {"", "audio", "audio:", "audio:0", "audio:-1", "audio:12x", "chat:12", "audio:9007199254740992"})
    EXPECT_FALSE(wp::parse_room_ref(bad)) << bad;
}

struct World {
  FakeJanus janus;
  JanusRooms rooms{std::make_unique<JanusClient>(
                       JanusSettings{FakeJanus::kUrl, FakeJanus::kAdminUrl, kAuth},
                       [this](const wp::HttpPost& p) { return janus(p); }),
                   "key"};
  std::string package(SfuKind kind) { return std::string(plugin_of(kind).package); }
  FakeJanus::Room& room(const SfuRoom& r) { return *janus.room(package(r.kind), r.id); }
  int count(std::string_view verb) {
    int n = 0;
    for (auto& r : janus.requests) n += r.at("janus").as_string() == verb;
    return n;
  }
};

TEST(JanusRooms, MembersAreAllowedInTheirRoomOnly) {
  World w;
  auto voice = w.rooms.create_room("party-1", SfuKind::audio);
  auto share = w.rooms.create_room("party-1", SfuKind::video);
  EXPECT_EQ(w.room(voice).secret, room_secret("key", voice));
  auto pass = w.rooms.allow(voice, "alice");
  EXPECT_EQ(pass.participant_id, participant_id("key", voice, "alice"));
  EXPECT_TRUE(w.room(voice).allowed.contains(pass.token));
  EXPECT_TRUE(w.room(share).allowed.empty());
  EXPECT_EQ(w.janus.tokens.at(pass.token), json::array{"janus.plugin.audiobridge"});
  // One session and two handles for all of it.
  EXPECT_EQ(w.count("create"), 1);
  EXPECT_EQ(w.count("attach"), 2);
}

TEST(JanusRooms, KickRevokesTheMembersTokensAndPutsOutStrangers) {
  World w;
  auto voice = w.rooms.create_room("p", SfuKind::audio);
  auto alice1 = w.rooms.allow(voice, "alice"), alice2 = w.rooms.allow(voice, "alice");
  auto bob = w.rooms.allow(voice, "bob");
  auto other = w.rooms.create_room("q", SfuKind::audio);
  auto carol = w.rooms.allow(other, "alice");  // the same user in another call
  auto& r = w.room(voice);
  r.participants = {alice1.participant_id, bob.participant_id, 12345};  // 12345: joined under an id not given
  w.rooms.kick(voice, "alice");
  EXPECT_FALSE(w.janus.tokens.contains(alice1.token));
  EXPECT_FALSE(w.janus.tokens.contains(alice2.token));
  EXPECT_EQ(r.allowed, std::set<std::string>{bob.token});
  EXPECT_EQ(r.participants, std::set<std::uint64_t>{bob.participant_id});
  EXPECT_TRUE(w.janus.tokens.contains(carol.token));
  // Kicking again, or someone never there, is quiet.
  w.rooms.kick(voice, "alice");
  w.rooms.kick(voice, "nobody");
}

TEST(JanusRooms, DestroyRemovesTheRoomAndItsTokensOnce) {
  World w;
  auto share = w.rooms.create_room("p", SfuKind::video);
  auto keep = w.rooms.create_room("p", SfuKind::audio);
  w.rooms.allow(share, "a");
  w.rooms.allow(share, "b");
  auto kept = w.rooms.allow(keep, "a");
  w.rooms.destroy(share);
  EXPECT_EQ(w.janus.room(w.package(SfuKind::video), share.id), nullptr);
  EXPECT_EQ(w.janus.tokens.size(), 1u);
  EXPECT_TRUE(w.janus.tokens.contains(kept.token));
  w.rooms.destroy(share);
  w.rooms.kick(share, "a");
  EXPECT_EQ(wp::testkit::error_code_of([&] { w.rooms.allow(share, "c"); }), wp::ErrorCode::not_found);
  EXPECT_EQ(w.janus.tokens.size(), 1u);  // the refused pass was taken back
}

TEST(JanusRooms, ASessionJanusForgotIsMadeAgain) {
  World w;
  auto voice = w.rooms.create_room("p", SfuKind::audio);
  w.janus.sessions.clear();  // the session timed out
  w.rooms.allow(voice, "a");
  EXPECT_EQ(w.count("create"), 2);
  w.rooms.keepalive();
  EXPECT_EQ(w.count("keepalive"), 1);
  w.janus.restart();
  w.rooms.keepalive();  // finds no session and makes one
  EXPECT_EQ(w.count("create"), 3);
  EXPECT_EQ(w.janus.sessions.size(), 1u);
}

TEST(JanusRooms, KeepaliveTellsWhenTheSessionWasMadeAgainAndRoomsCanBeChecked) {
  World w;
  EXPECT_TRUE(w.rooms.keepalive());  // the first session: the caller checks its rooms once
  EXPECT_FALSE(w.rooms.keepalive());
  auto voice = w.rooms.create_room("p", SfuKind::audio);
  auto share = w.rooms.create_room("p", SfuKind::video);
  EXPECT_TRUE(w.rooms.exists(voice));
  EXPECT_TRUE(w.rooms.exists(share));
  EXPECT_FALSE(w.rooms.keepalive());
  w.janus.restart();  // Janus restarted: the session and every room are gone
  EXPECT_TRUE(w.rooms.keepalive());
  EXPECT_FALSE(w.rooms.exists(voice));
  EXPECT_FALSE(w.rooms.exists(share));
  EXPECT_FALSE(w.rooms.keepalive());
  // A session made again by another request also counts.
  w.janus.sessions.clear();
  w.rooms.create_room("q", SfuKind::audio);
  EXPECT_TRUE(w.rooms.keepalive());
}

TEST(JanusRooms, AServerMuteSilencesTheMemberInTheMixAndIsHeld) {
  World w;
  auto voice = w.rooms.create_room("p", SfuKind::audio);
  auto alice = w.rooms.allow(voice, "alice"), bob = w.rooms.allow(voice, "bob");
  EXPECT_EQ(w.rooms.participant_of(voice, "alice"), alice.participant_id);
  w.rooms.set_muted(voice, "alice", true);  // not in the room yet: passed over
  auto& r = w.room(voice);
  EXPECT_TRUE(r.muted.empty());
  r.participants = {alice.participant_id, bob.participant_id};
  w.rooms.set_muted(voice, "alice", true);
  EXPECT_EQ(r.muted, std::set<std::uint64_t>{alice.participant_id});
  auto& sent = w.janus.requests.back().at("body").as_object();
  EXPECT_EQ(sent.at("request"), "mute");
  EXPECT_EQ(std::string(sent.at("secret").as_string()), room_secret("key", voice));
  w.rooms.set_muted(voice, "alice", false);
  EXPECT_TRUE(r.muted.empty());
  // Alice unmuted herself (or joined unmuted): held muted again; Bob, not server-muted, is left alone.
  EXPECT_EQ(w.rooms.hold_muted(voice, {"alice", "carol"}), std::vector<std::string>{"alice"});
  EXPECT_EQ(r.muted, std::set<std::uint64_t>{alice.participant_id});
  EXPECT_TRUE(w.rooms.hold_muted(voice, {"alice"}).empty());  // muted already: nothing sent
  EXPECT_EQ(w.janus.requests.back().at("body").at("request"), "listparticipants");
  // A room gone is quiet; a share room does not mix voices.
  w.rooms.destroy(voice);
  w.rooms.set_muted(voice, "alice", true);
  EXPECT_TRUE(w.rooms.hold_muted(voice, {"alice"}).empty());
  auto share = w.rooms.create_room("p", SfuKind::video);
  EXPECT_EQ(wp::testkit::error_code_of([&] { w.rooms.set_muted(share, "alice", true); }), wp::ErrorCode::internal);
}

TEST(JanusRooms, FailuresAreUnavailable) {
  World w;
  w.janus.api_secret = "changed";
  EXPECT_EQ(wp::testkit::error_code_of([&] { w.rooms.create_room("p", SfuKind::audio); }),
            wp::ErrorCode::unavailable);
  JanusRooms down{std::make_unique<JanusClient>(JanusSettings{"http://127.0.0.1:9/janus", "http://127.0.0.1:9/admin",
                                                              kAuth, 500}),
                  "key"};
  EXPECT_EQ(wp::testkit::error_code_of([&] { down.destroy(SfuRoom{SfuKind::audio, 1}); }),
            wp::ErrorCode::unavailable);
}

TEST(JanusSetup, NeedsTheAdminApiWithAUrl) {
  wp::Config c;
  EXPECT_EQ(make_janus_rooms(c), nullptr);
  c.janus_url = "http://127.0.0.1:8088/janus/";
  EXPECT_THROW(make_janus_rooms(c), wp::ConfigError);
  c.janus_admin_url = "http://127.0.0.1:7088/admin";
  c.janus_admin_secret = "s";
  EXPECT_NE(make_janus_rooms(c), nullptr);
  EXPECT_THROW(wp::load_config({.flags = {{"janus_url", "janus:8088"}}}), wp::ConfigError);
}

}  // namespace
