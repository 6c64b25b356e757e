// JanusRooms against Debian's real Janus, started on loopback by
// scripts/janus-start.sh (token auth, an API and an admin secret, the HTTP
// transport, AudioBridge and VideoRoom only). The server's side goes through
// JanusRooms; the members' side speaks Janus's HTTP API directly, as a
// browser's janus.js does: a session and a handle under the member's token,
// then "join" with the pass's participant id, the answer read by long poll.
// Skipped when janus is not installed. Target janus_tests (CMakeLists.txt).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "core/ids.hpp"
#include "core/process.hpp"
#include "sfu/janus_api.hpp"
#include "sfu/janus_client.hpp"
#include "sfu/janus_rooms.hpp"
#include "support/error_code.hpp"

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace wp::sfu;
using wp::SfuKind;
using wp::SfuPass;
using wp::SfuRoom;

const JanusAuth kAuth{"wp-test-api-secret", "wp-test-admin-secret"};

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// Janus's long poll: the next event of a session (a "keepalive" after 30 s of nothing).
json::object long_poll(const std::string& url) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 35000L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  if (curl_easy_perform(curl.get()) != CURLE_OK) return {};
  return json::parse(body).as_object();
}

class JanusOnLoopback : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists("/usr/bin/janus")) return;
    dir_ = fs::temp_directory_path() / ("wp-janus-" + wp::random_hex(4));
    wp::ProcessOptions o{.timeout = std::chrono::seconds(30), .collect_stdout = true};
    auto r = wp::run_process({WATCHPARTY_SOURCE_DIR "/scripts/janus-start.sh", dir_.string(),
                              std::to_string(free_port()), std::to_string(free_port())}, o);
    if (!r.ok()) {
      start_error_ = r.describe() + "\n" + r.err_tail;
      return;
    }
    std::istringstream urls(r.out);
    urls >> url_ >> admin_url_;
  }
  static void TearDownTestSuite() {
    if (dir_.empty()) return;
    wp::run_process({WATCHPARTY_SOURCE_DIR "/scripts/janus-stop.sh", dir_.string()}, {});
    fs::remove_all(dir_);
  }
  void SetUp() override {
    if (dir_.empty()) GTEST_SKIP() << "janus is not installed (apt-get install janus)";
    ASSERT_TRUE(start_error_.empty()) << "scripts/janus-start.sh failed: " << start_error_;
  }

  static JanusSettings settings() { return {url_, admin_url_, kAuth, 5000}; }

  // What the server's client sees of a room: its participants' ids, or
  // nullopt when Janus has no such room.
  std::optional<std::set<std::uint64_t>> participants(const SfuRoom& room) {
    try {
      auto ids = read_participant_ids(inspector_.plugin_request(room.kind, participants_body(room.id)));
      return std::set<std::uint64_t>(ids.begin(), ids.end());
    } catch (const JanusError& e) {
      if (e.code == plugin_of(room.kind).no_such_room) return std::nullopt;
      throw;
    }
  }
  // Janus puts a kicked participant out on its own thread: wait for it.
  std::optional<std::set<std::uint64_t>> participants_becoming(const SfuRoom& room, std::set<std::uint64_t> want) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto now = participants(room);
    while (now != want && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      now = participants(room);
    }
    return now;
  }

  // Who of the AudioBridge room's participants Janus has muted.
  std::map<std::uint64_t, bool> muted_in(const SfuRoom& room) {
    std::map<std::uint64_t, bool> out;
    for (auto& p : read_participants(inspector_.plugin_request(room.kind, participants_body(room.id))))
      out[p.id] = p.muted;
    return out;
  }

  static inline fs::path dir_;
  static inline std::string url_, admin_url_, start_error_;
  JanusRooms rooms_{std::make_unique<JanusClient>(settings()), "derivation-key"};
  JanusClient inspector_{settings()};
};

// A member's browser, as far as Janus sees it.
struct Member {
  std::string url, token;
  std::uint64_t session = 0, handle = 0;

  json::object post(const std::string& at, json::object request) {
    request["token"] = token;
    request["transaction"] = wp::random_hex(6);
    auto a = wp::http_post({.url = at, .headers = {"Content-Type: application/json"}, .body = json::serialize(request)}, 0);
    return read_answer(a.status, a.body, a.error);
  }
  std::string session_url() const { return url + "/" + std::to_string(session); }

  // Session and handle; JanusError when Janus refuses the token.
  void connect(SfuKind kind) {
    session = read_id(post(url, {{"janus", "create"}}));
    handle = read_id(post(session_url(), {{"janus", "attach"}, {"plugin", plugin_of(kind).package}}));
  }
  // "join" and its answer: the plugin's data (a "joined", or an error_code).
  json::object join(SfuKind kind, std::uint64_t room, std::uint64_t id) {
    json::object body{{"request", "join"}, {"room", room}, {"id", id}, {"display", "member"}, {"token", token}};
    if (kind == SfuKind::video) body["ptype"] = "publisher";
    return request(body);
  }
  // An asynchronous plugin request ("join", "configure"): the answer comes by long poll.
  json::object request(json::object body) {
    auto ack = post(session_url() + "/" + std::to_string(handle), {{"janus", "message"}, {"body", body}});
    EXPECT_EQ(ack.at("janus"), "ack");
    auto transaction = ack.at("transaction");
    for (int polls = 0; polls < 5; ++polls) {
      auto event = long_poll(session_url() + "?maxev=1&token=" + token);
      if (event.if_contains("transaction") && event.at("transaction") == transaction)
        return event.at("plugindata").at("data").as_object();
    }
    ADD_FAILURE() << "no answer to " << json::serialize(body);
    return {};
  }
};

int janus_code(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const JanusError& e) {
    return e.code;
  }
  return 0;
}

TEST_F(JanusOnLoopback, ThreeMembersJoinAnAudioBridgeRoomWithTheirTokens) {
  auto room = rooms_.create_room("party-a", SfuKind::audio);
  std::set<std::uint64_t> joined;
  for (auto user : {"u1", "u2", "u3"}) {
    auto pass = rooms_.allow(room, user);
    Member m{url_, pass.token};
    m.connect(SfuKind::audio);
    auto answer = m.join(SfuKind::audio, room.id, pass.participant_id);
    EXPECT_EQ(answer.at("audiobridge"), "joined") << json::serialize(answer);
    joined.insert(pass.participant_id);
  }
  EXPECT_EQ(participants(room), joined);
  rooms_.destroy(room);
}

TEST_F(JanusOnLoopback, JanusRefusesATokenItWasNotGiven) {
  auto room = rooms_.create_room("party-b", SfuKind::audio);
  auto pass = rooms_.allow(room, "u1");
  // A token we never added: no session at all.
  Member forger{url_, "wpa." + std::to_string(room.id) + ".u1." + wp::random_hex(16)};
  EXPECT_EQ(janus_code([&] { forger.connect(SfuKind::audio); }), kJanusUnauthorized);
  Member nobody{url_, ""};
  EXPECT_EQ(janus_code([&] { nobody.connect(SfuKind::audio); }), kJanusUnauthorized);
  // A voice token opens no VideoRoom handle.
  Member member{url_, pass.token};
  EXPECT_EQ(janus_code([&] { member.connect(SfuKind::video); }), 405);
  // A real token of another room gets a session but not into this room.
  auto other = rooms_.create_room("party-c", SfuKind::audio);
  Member stranger{url_, rooms_.allow(other, "u9").token};
  stranger.connect(SfuKind::audio);
  auto answer = stranger.join(SfuKind::audio, room.id, 1234);
  EXPECT_EQ(answer.at("error_code"), 489) << json::serialize(answer);  // "not in the allowed list"
  EXPECT_EQ(participants(room), std::set<std::uint64_t>{});
  rooms_.destroy(room);
  rooms_.destroy(other);
}

TEST_F(JanusOnLoopback, KickPutsTheMemberOutAndRevokesTheirToken) {
  auto room = rooms_.create_room("party-d", SfuKind::audio);
  std::map<std::string, SfuPass> passes;
  std::map<std::string, Member> members;
  for (auto user : {"u1", "u2", "u3"}) {
    passes[user] = rooms_.allow(room, user);
    members[user] = Member{url_, passes[user].token};
    members[user].connect(SfuKind::audio);
    ASSERT_EQ(members[user].join(SfuKind::audio, room.id, passes[user].participant_id).at("audiobridge"), "joined");
  }
  rooms_.kick(room, "u2");
  EXPECT_EQ(participants_becoming(room, {passes["u1"].participant_id, passes["u3"].participant_id}),
            (std::set<std::uint64_t>{passes["u1"].participant_id, passes["u3"].participant_id}));
  // Their token is gone: Janus refuses even a keepalive of their session.
  EXPECT_EQ(janus_code([&] { members["u2"].post(members["u2"].session_url(), {{"janus", "keepalive"}}); }),
            kJanusUnauthorized);
  Member again{url_, passes["u2"].token};
  EXPECT_EQ(janus_code([&] { again.connect(SfuKind::audio); }), kJanusUnauthorized);

  // A member who joined under an id that is not theirs is put out by the next kick.
  auto cheat = rooms_.allow(room, "u4");
  Member m4{url_, cheat.token};
  m4.connect(SfuKind::audio);
  ASSERT_EQ(m4.join(SfuKind::audio, room.id, 99).at("audiobridge"), "joined");
  rooms_.kick(room, "u3");
  EXPECT_EQ(participants_becoming(room, {passes["u1"].participant_id}),
            std::set<std::uint64_t>{passes["u1"].participant_id});
  rooms_.destroy(room);
}

TEST_F(JanusOnLoopback, AServerMutedMemberIsMutedInTheMixAndStaysSo) {
  auto room = rooms_.create_room("party-m", SfuKind::audio);  // with audio level events: Janus takes the create
  std::map<std::string, SfuPass> passes;
  std::map<std::string, Member> members;
  rooms_.set_muted(room, "u1", true);  // not in the room yet: nothing to do, no error
  for (auto user : {"u1", "u2"}) {
    passes[user] = rooms_.allow(room, user);
    members[user] = Member{url_, passes[user].token};
    members[user].connect(SfuKind::audio);
    ASSERT_EQ(members[user].join(SfuKind::audio, room.id, passes[user].participant_id).at("audiobridge"), "joined");
  }
  auto u1 = passes["u1"].participant_id, u2 = passes["u2"].participant_id;
  EXPECT_EQ(muted_in(room), (std::map<std::uint64_t, bool>{{u1, false}, {u2, false}}));
  rooms_.set_muted(room, "u1", true);
  EXPECT_EQ(muted_in(room), (std::map<std::uint64_t, bool>{{u1, true}, {u2, false}}));
  // Janus lets the member unmute themselves; hold_muted mutes them again and leaves the others alone.
  auto configured = members["u1"].request({{"request", "configure"}, {"muted", false}});
  EXPECT_EQ(configured.at("audiobridge"), "event") << json::serialize(configured);
  EXPECT_EQ(muted_in(room), (std::map<std::uint64_t, bool>{{u1, false}, {u2, false}}));
  EXPECT_EQ(rooms_.hold_muted(room, {"u1", "u3"}), std::vector<std::string>{"u1"});
  EXPECT_EQ(muted_in(room), (std::map<std::uint64_t, bool>{{u1, true}, {u2, false}}));
  EXPECT_TRUE(rooms_.hold_muted(room, {"u1"}).empty());
  rooms_.set_muted(room, "u1", false);
  EXPECT_EQ(muted_in(room), (std::map<std::uint64_t, bool>{{u1, false}, {u2, false}}));
  rooms_.destroy(room);
  rooms_.set_muted(room, "u1", true);  // the room is gone: quiet
  EXPECT_TRUE(rooms_.hold_muted(room, {"u1"}).empty());
}

TEST_F(JanusOnLoopback, ExistsTellsWhetherJanusStillHasTheRoom) {
  for (auto kind : {SfuKind::audio, SfuKind::video}) {
    auto room = rooms_.create_room("party-x", kind);
    EXPECT_TRUE(rooms_.exists(room));
    rooms_.destroy(room);
    EXPECT_FALSE(rooms_.exists(room));
  }
}

TEST_F(JanusOnLoopback, DestroyRemovesTheRoomAndEveryPass) {
  auto room = rooms_.create_room("party-e", SfuKind::audio);
  auto pass = rooms_.allow(room, "u1");
  Member m{url_, pass.token};
  m.connect(SfuKind::audio);
  ASSERT_EQ(m.join(SfuKind::audio, room.id, pass.participant_id).at("audiobridge"), "joined");
  rooms_.destroy(room);
  EXPECT_EQ(participants(room), std::nullopt);
  Member later{url_, pass.token};
  EXPECT_EQ(janus_code([&] { later.connect(SfuKind::audio); }), kJanusUnauthorized);
  rooms_.destroy(room);  // again: nothing to do
  EXPECT_EQ(wp::testkit::error_code_of([&] { rooms_.allow(room, "u2"); }), wp::ErrorCode::not_found);
}

TEST_F(JanusOnLoopback, AScreenShareRoomWorksTheSameOnVideoRoom) {
  auto room = rooms_.create_room("party-f", SfuKind::video);
  auto sharer = rooms_.allow(room, "u1");
  auto viewer = rooms_.allow(room, "u2");
  Member a{url_, sharer.token}, b{url_, viewer.token};
  a.connect(SfuKind::video);
  b.connect(SfuKind::video);
  EXPECT_EQ(a.join(SfuKind::video, room.id, sharer.participant_id).at("videoroom"), "joined");
  EXPECT_EQ(b.join(SfuKind::video, room.id, viewer.participant_id).at("videoroom"), "joined");
  rooms_.kick(room, "u1");
  EXPECT_EQ(participants_becoming(room, {viewer.participant_id}), std::set<std::uint64_t>{viewer.participant_id});
  rooms_.destroy(room);
  EXPECT_EQ(participants(room), std::nullopt);
}

TEST_F(JanusOnLoopback, TheServerSessionSurvivesJanusForgettingIt) {
  // The server's session is destroyed behind its back (as after a Janus
  // restart or a quiet spell past session_timeout): the next call makes one.
  JanusClient client(settings());
  client.keepalive();
  auto room = rooms_.create_room("party-g", SfuKind::audio);
  auto admin = client.admin("list_sessions");
  for (auto& s : admin.at("sessions").as_array()) {
    auto id = s.to_number<std::uint64_t>();
    auto a = wp::http_post({.url = url_ + "/" + std::to_string(id),
                            .headers = {"Content-Type: application/json"},
                            .body = json::serialize(json::object{{"janus", "destroy"}, {"transaction", "x"},
                                                                 {"apisecret", kAuth.api_secret}})},
                           0);
    ASSERT_EQ(a.status, 200);
  }
  auto pass = rooms_.allow(room, "u1");
  EXPECT_FALSE(pass.token.empty());
  rooms_.destroy(room);
}

}  // namespace
