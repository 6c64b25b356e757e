#include <gtest/gtest.h>

#include <algorithm>

#include "http/router.hpp"

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

const std::string kId = "6f1c2a3e-1111-4222-8333-444455556666";

TEST(Router, MatchesLiteralsAndParams) {
  auto r = make_router();
  auto m = r.match("GET", "/api/videos/" + kId + "/");
  ASSERT_EQ(m.kind, RouteMatch::found);
  EXPECT_EQ(m.route->pattern, "/api/videos/{id}/");
  EXPECT_EQ(m.params.at("id"), kId);
  EXPECT_EQ(r.match("POST", "/api/parties/join-by-code/").kind, RouteMatch::found);
  EXPECT_EQ(r.match("GET", "/api/users/alice/").params.at("username"), "alice");
}

TEST(Router, UuidParamsAreCheckedAndLowerCased) {
  auto r = make_router();
  EXPECT_EQ(r.match("GET", "/api/videos/not-a-uuid/").kind, RouteMatch::not_found);
  std::string upper = kId;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  auto m = r.match("GET", "/api/videos/" + upper + "/");
  ASSERT_EQ(m.kind, RouteMatch::found);
  EXPECT_EQ(m.params.at("id"), kId);
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
  auto m = r.match("GET", "/api/videos/" + kId + "/hls/720p/seg_001.ts");
  ASSERT_EQ(m.kind, RouteMatch::found);
  EXPECT_EQ(m.params.at("file"), "720p/seg_001.ts");
}

TEST(Router, UnknownIs404AndDuplicatesAreRefused) {
  auto r = make_router();
  EXPECT_EQ(r.match("GET", "/nope/").kind, RouteMatch::not_found);
  EXPECT_THROW(r.add({.method = "GET", .pattern = "/api/videos/", .handler = [](Request&) { return Response{}; }}),
               std::invalid_argument);
}

}  // namespace
