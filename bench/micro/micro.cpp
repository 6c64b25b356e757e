// Function micro-benchmarks (Google Benchmark) for code on the hot paths:
// serializing a playback_state broadcast, reading a member's chat frame,
// matching a route, verifying a JWT.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "http/router.hpp"
#include "modules/accounts/jwt.hpp"
#include "modules/parties/model.hpp"
#include "modules/parties/protocol.hpp"

namespace {

wp::parties::Playback sample_playback() {
  wp::parties::Playback pb;
  pb.status = wp::parties::PlaybackStatus::playing;
  pb.position = 1234.5;
  pb.rate = 1.0;
  pb.anchor = 1795611631511.25;
  pb.version = 42;
  pb.video_id = "3f1c2b9e-8d4a-4c7e-9b1f-0a2d3c4e5f60";
  pb.set_by = "7a8b9c0d-1e2f-4a3b-8c5d-6e7f8091a2b3";
  return pb;
}

// What the server does per change: build the object, serialize once, share the text.
void BM_PlaybackStateSerialize(benchmark::State& state) {
  auto pb = sample_playback();
  for (auto _ : state) {
    std::string text = wp::parties::protocol::playback_state(pb);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_PlaybackStateSerialize);

// The client side of a chat fan-out message: a full parse.
void BM_ChatMessageParse(benchmark::State& state) {
  std::string text =
      R"({"type":"chat_message","message":{"id":"0b6f6c1e-5f7a-4d42-a1a6-2b7a8f0e9c11","user":{"id":"7a8b9c0d-1e2f-4a3b-8c5d-6e7f8091a2b3","username":"someone"},"content":"hello everybody, this is a chat line","sent_at":"2026-11-25T13:45:12.123Z"}})";
  for (auto _ : state) {
    auto v = boost::json::parse(text);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_ChatMessageParse);

// The server side of chat: a member's chat frame read and checked (party socket).
void BM_PartyClientChatParse(benchmark::State& state) {
  std::string frame = R"({"type":"chat_message","content":"hello everybody, this is a chat line"})";
  for (auto _ : state) {
    auto m = wp::parties::protocol::parse_client_message(frame);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_PartyClientChatParse);

wp::http::Router& router() {
  static wp::http::Router r = [] {
    wp::http::Router r;
    const char* areas[] = {"auth", "users", "parties", "videos", "events", "polls", "social", "messages",
                           "notifications", "billing", "support", "moderation", "analytics", "store"};
    // A table shaped like the real one: per area a list, a detail and a few actions.
    for (auto* a : areas) {
      std::string base = std::string("/api/") + a + "/";
      r.add({.method = "GET", .pattern = base, .handler = [](wp::http::Request&) { return wp::http::Response{}; }});
      r.add({.method = "POST", .pattern = base, .handler = [](wp::http::Request&) { return wp::http::Response{}; }});
      r.add({.method = "GET", .pattern = base + "{id}/", .handler = [](wp::http::Request&) { return wp::http::Response{}; }});
      r.add({.method = "PATCH", .pattern = base + "{id}/", .handler = [](wp::http::Request&) { return wp::http::Response{}; }});
      for (auto* act : {"join", "leave", "participants", "chat", "react", "report", "sync_state", "like"})
        r.add({.method = "POST", .pattern = base + "{id}/" + act + "/",
               .handler = [](wp::http::Request&) { return wp::http::Response{}; }});
    }
    r.add({.method = "GET", .pattern = "/api/health/", .handler = [](wp::http::Request&) { return wp::http::Response{}; }});
    return r;
  }();
  return r;
}

void BM_RouterMatchHealth(benchmark::State& state) {
  auto& r = router();
  std::string path = "/api/health/";
  for (auto _ : state) {
    auto m = r.match("GET", path);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_RouterMatchHealth);

void BM_RouterMatchPartyAction(benchmark::State& state) {
  auto& r = router();
  std::string path = "/api/parties/3f1c2b9e-8d4a-4c7e-9b1f-0a2d3c4e5f60/sync_state/";
  for (auto _ : state) {
    auto m = r.match("POST", path);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_RouterMatchPartyAction);

void BM_JwtVerify(benchmark::State& state) {
  std::string secret(64, 'k');
  wp::accounts::AccessClaims c{.sub = "7a8b9c0d-1e2f-4a3b-8c5d-6e7f8091a2b3",
                               .sid = "0b6f6c1e-5f7a-4d42-a1a6-2b7a8f0e9c11",
                               .jti = "a1b2c3d4e5f6",
                               .iat = 1795611600,
                               .exp = 1795612500};
  auto token = wp::accounts::sign_access_token(c, secret);
  for (auto _ : state) {
    auto v = wp::accounts::verify_access_token(token, secret, 1795611700);
    if (!v) state.SkipWithError("token refused");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_JwtVerify);

}  // namespace

BENCHMARK_MAIN();
