#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/ids.hpp"
#include "http/router.hpp"
#include "support/router_reference.hpp"

using namespace wp::http;

namespace {

Router make_router() {
  Router r;
  auto h = [](Request&) { return Response{}; };
  r.add({.method = "GET", .pattern = "/api/videos/", .handler = h});
  r.add({.method = "POST", .pattern = "/api/videos/", .handler = h});
  r.add({.method = "GET", .pattern = "/api/videos/{id}/", .handler = h});
  r.add({.method = "DELETE", .pattern = "/api/videos/{id}/", .handler = h});
  r.add({.method = "GET", .pattern = "/api/videos/{id}/hls/{file:path}", .handler = h});
  r.add({.method = "POST", .pattern = "/api/parties/join-by-code/", .handler = h});
  r.add({.method = "GET", .pattern = "/api/users/{username}/", .handler = h});
  r.add({.method = "GET", .pattern = "/metrics", .handler = h});
  return r;
}

const std::string kVideoId = "6f1c2a3e-1111-4222-8333-444455556666";

TEST(Router, MatchesLiteralsAndParams) {
  auto r = make_router();
  auto m = r.match("GET", "/api/videos/" + kVideoId + "/");
  ASSERT_EQ(m.kind, RouteMatch::found);
  EXPECT_EQ(m.route->pattern, "/api/videos/{id}/");
  EXPECT_EQ(m.params.at("id"), kVideoId);
  EXPECT_EQ(r.match("POST", "/api/parties/join-by-code/").kind, RouteMatch::found);
  EXPECT_EQ(r.match("GET", "/api/users/alice/").params.at("username"), "alice");
}

TEST(Router, UuidParamsAreCheckedAndLowerCased) {
  auto r = make_router();
  EXPECT_EQ(r.match("GET", "/api/videos/not-a-uuid/").kind, RouteMatch::not_found);
  std::string upper = kVideoId;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  auto m = r.match("GET", "/api/videos/" + upper + "/");
  ASSERT_EQ(m.kind, RouteMatch::found);
  EXPECT_EQ(m.params.at("id"), kVideoId);
}

TEST(Router, WrongMethodGives405WithAllow) {
  auto r = make_router();
  auto m = r.match("PUT", "/api/videos/");
  ASSERT_EQ(m.kind, RouteMatch::method_not_allowed);
  EXPECT_NE(std::find(m.allowed.begin(), m.allowed.end(), "GET"), m.allowed.end());
  EXPECT_NE(std::find(m.allowed.begin(), m.allowed.end(), "POST"), m.allowed.end());
  EXPECT_NE(std::find(m.allowed.begin(), m.allowed.end(), "HEAD"), m.allowed.end());
}

TEST(Router, HeadUsesGet) {
  auto r = make_router();
  auto m = r.match("HEAD", "/api/videos/");
  ASSERT_EQ(m.kind, RouteMatch::found);
  EXPECT_EQ(m.route->method, "GET");
}

TEST(Router, MissingTrailingSlashRedirects) {
  auto r = make_router();
  auto m = r.match("GET", "/api/videos");
  ASSERT_EQ(m.kind, RouteMatch::redirect);
  EXPECT_EQ(m.location, "/api/videos/");
  EXPECT_EQ(r.match("GET", "/metrics/").kind, RouteMatch::not_found);
  EXPECT_EQ(r.match("GET", "/metrics").kind, RouteMatch::found);
}

TEST(Router, RestParamTakesTheRest) {
  auto r = make_router();
  auto m = r.match("GET", "/api/videos/" + kVideoId + "/hls/720p/seg_001.ts");
  ASSERT_EQ(m.kind, RouteMatch::found);
  EXPECT_EQ(m.params.at("file"), "720p/seg_001.ts");
}

TEST(Router, UnknownIs404AndDuplicatesAreRefused) {
  auto r = make_router();
  EXPECT_EQ(r.match("GET", "/nope/").kind, RouteMatch::not_found);
  EXPECT_THROW(r.add({.method = "GET", .pattern = "/api/videos/", .handler = [](Request&) { return Response{}; }}),
               std::invalid_argument);
}

// The trie must answer exactly as a plain scan of the table in order would (the
// rules the router had before it was compiled; tests/unit/support/router_reference.hpp):
// found with the first route of the method, 405 with every fitting route's method,
// the trailing-slash redirect, and uuid parameters that refuse a fit and the redirect.
TEST(Router, AnswersAsAScanOfTheTableInOrder) {
  const std::vector<std::string> words{"a", "b", "{id}", "{name}", "{party_id}", "{rest:path}"};
  const std::vector<std::string> values{"a", "b", "c", kVideoId, "6F1C2A3E-1111-4222-8333-444455556666"};
  const std::vector<std::string> methods{"GET", "POST", "DELETE"};
  std::mt19937 rng(2026);
  auto pick = [&](auto& v) { return v[rng() % v.size()]; };
  for (int round = 0; round < 30; ++round) {
    Router router;
    std::vector<wp::test::RouteRow> rows;
    for (int k = 0; k < 25; ++k) {
      wp::test::RouteRow row{pick(methods), "/"};
      for (std::size_t n = rng() % 4; n > 0; --n) {
        auto w = pick(words);
        row.pattern += w + "/";
        if (w.ends_with(":path}")) break;
      }
      if (rng() % 2 == 0 && row.pattern.size() > 1) row.pattern.pop_back();
      try {
        router.add({.method = row.method, .pattern = row.pattern, .handler = [](Request&) { return Response{}; }});
      } catch (const std::invalid_argument&) {
        continue;  // a duplicate: the table refuses it, so the reference must not have it either
      }
      rows.push_back(row);
    }
    wp::test::Reference ref(rows, false);
    for (int q = 0; q < 200; ++q) {
      std::string path = "/";
      for (std::size_t n = rng() % 5; n > 0; --n) path += pick(values) + "/";
      if (rng() % 2 == 0 && path.size() > 1) path.pop_back();
      auto method = pick(methods);
      ASSERT_EQ(wp::test::answer(router, method, path), ref.answer(method, path))
          << method << " " << path << " (round " << round << ")";
    }
  }
}

}  // namespace
