// Function micro-benchmarks (Google Benchmark) for code on the hot paths:
// serializing a playback_state broadcast, reading a member's chat frame,
// matching a route in the server's real table, verifying a JWT.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "modules/accounts/jwt.hpp"
#include "modules/parties/model.hpp"
#include "modules/parties/protocol.hpp"
#if __has_include("modules/parties/chat_text.hpp")
#include "modules/parties/chat_text.hpp"
#endif

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

#if __has_include("modules/parties/chat_text.hpp")
// What the server does with a member's chat frame before the database: parse,
// then the text's rule (trailing blanks, empty, length).
void BM_PartyChatParseValidate(benchmark::State& state) {
  std::string frame = R"({"type":"chat_message","content":"hello everybody, this is a chat line"})";
  for (auto _ : state) {
    auto m = wp::parties::protocol::parse_client_message(frame);
    auto text = wp::parties::checked_chat(m.content);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_PartyChatParseValidate);
#endif

// The server's own table, as `watchparty routes` prints it (bench/micro/routes.txt),
// with the web client's fallback as the server sets it.
const wp::http::Router& router() {
  static const wp::http::Router r = [] {
    wp::http::Router r;
    std::ifstream in(WATCHPARTY_ROUTES_FILE);
    std::string method, pattern;
    while (in >> method >> pattern) r.add({.method = method, .pattern = pattern});
    if (r.routes().size() < 250) throw std::runtime_error("bench/micro/routes.txt: fewer routes than the server has");
    r.set_fallback({.method = "GET", .pattern = "/{path:path}"});
    return r;
  }();
  return r;
}

void BM_RouterMatchHealth(benchmark::State& state) {
  auto& r = router();
  std::string method = "GET", path = "/api/health/";
  for (auto _ : state) {
    auto m = r.match(method, path);
    if (m.kind != wp::http::RouteMatch::found) state.SkipWithError("no route");
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_RouterMatchHealth);

// A parameterised route deep in the table: the party's chat history.
void BM_RouterMatchPartyChat(benchmark::State& state) {
  auto& r = router();
  std::string method = "GET", path = "/api/parties/3F1C2B9E-8D4A-4C7E-9B1F-0A2D3C4E5F60/chat/";
  for (auto _ : state) {
    auto m = r.match(method, path);
    if (m.kind != wp::http::RouteMatch::found || m.route->pattern != "/api/parties/{id}/chat/")
      state.SkipWithError("not the chat route");
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_RouterMatchPartyChat);

// The parameters into Request::params, as the session does (before this branch, a copy of a std::map).
template <class Match>
void to_request(const Match& m, wp::http::Request& req) {
  if constexpr (requires { m.params.copy_to(req.params); })
    m.params.copy_to(req.params);
  else
    req.params = m.params;
}

// The same, and what the session then does with the match.
void BM_RouterMatchPartyChatToRequest(benchmark::State& state) {
  auto& r = router();
  std::string method = "GET", path = "/api/parties/3F1C2B9E-8D4A-4C7E-9B1F-0A2D3C4E5F60/chat/";
  for (auto _ : state) {
    wp::http::Request req;
    auto m = r.match(method, path);
    to_request(m, req);
    benchmark::DoNotOptimize(req.params);
  }
}
BENCHMARK(BM_RouterMatchPartyChatToRequest);

// A path no route has (the 404 answer's work).
void BM_RouterMatchUnknown(benchmark::State& state) {
  auto& r = router();
  std::string method = "POST", path = "/api/parties/3f1c2b9e-8d4a-4c7e-9b1f-0a2d3c4e5f60/nothing/";
  for (auto _ : state) {
    auto m = r.match(method, path);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_RouterMatchUnknown);

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
