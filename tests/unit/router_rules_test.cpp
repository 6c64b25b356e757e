// The router's rules one by one (http/router.hpp), each in a table built to
// break a trie that gets it wrong: the table's order decides between literal
// and parameter segments, UUID and text parameters, a {name:path} and a
// longer route; what a parameter's value becomes; trailing slashes, 405 with
// Allow, HEAD, the fallback; matches that outlive their path.
#include <gtest/gtest.h>

#include <boost/url/parse.hpp>

#include <algorithm>
#include <string>

#include "http/router.hpp"

using namespace wp::http;

namespace {

const std::string kId = "6f1c2a3e-1111-4222-8333-444455556666";
const std::string kUpperId = "6F1C2A3E-1111-4222-8333-444455556666";

Router table(std::initializer_list<std::pair<const char*, const char*>> rows) {
  Router r;
  for (auto [method, pattern] : rows) r.add({.method = method, .pattern = pattern});
  return r;
}

std::string found(const Router& r, const std::string& method, const std::string& path) {
  auto m = r.match(method, path);
  return m.kind == RouteMatch::found ? m.route->method + " " + m.route->pattern : "not found";
}

TEST(RouterRules, TheFirstRegisteredRouteWinsBetweenALiteralAndAParameter) {
  // Not "literal before parameter": the order of the table, as when the router was a scan.
  auto param_first = table({{"GET", "/api/users/{username}/"}, {"GET", "/api/users/me/"}});
  EXPECT_EQ(found(param_first, "GET", "/api/users/me/"), "GET /api/users/{username}/");
  auto literal_first = table({{"GET", "/api/users/me/"}, {"GET", "/api/users/{username}/"}});
  EXPECT_EQ(found(literal_first, "GET", "/api/users/me/"), "GET /api/users/me/");
  EXPECT_EQ(found(literal_first, "GET", "/api/users/ann/"), "GET /api/users/{username}/");
}

TEST(RouterRules, AnEarlierParameterRouteBeatsALaterLiteralOneFoundFirst) {
  // The literal branch is searched first and fits; the parameter branch must still be searched.
  auto r = table({{"GET", "/p/{name}/x/"}, {"POST", "/p/lit/x/"}, {"GET", "/p/lit/x/"}});
  EXPECT_EQ(r.match("GET", "/p/lit/x/").route, &r.routes()[0]);
  // ... and a later one loses even when it is the only other fit.
  auto later = table({{"GET", "/p/lit/x/"}, {"GET", "/p/{name}/x/"}});
  EXPECT_EQ(later.match("GET", "/p/lit/x/").route, &later.routes()[0]);
}

TEST(RouterRules, UuidAndTextParametersAreOrderedByTheTableToo) {
  auto text_first = table({{"GET", "/x/{name}/"}, {"GET", "/x/{id}/"}});
  EXPECT_EQ(found(text_first, "GET", "/x/" + kId + "/"), "GET /x/{name}/");
  auto uuid_first = table({{"GET", "/x/{id}/"}, {"GET", "/x/{name}/"}});
  EXPECT_EQ(found(uuid_first, "GET", "/x/" + kId + "/"), "GET /x/{id}/");
  EXPECT_EQ(found(uuid_first, "GET", "/x/ann/"), "GET /x/{name}/");  // not a UUID: the text route
  EXPECT_EQ(uuid_first.match("GET", "/x/" + kUpperId + "/").params.at("id"), kId);
  EXPECT_EQ(uuid_first.match("GET", "/x/ANN/").params.at("name"), "ANN");  // text is kept as sent
}

TEST(RouterRules, UuidNamesAreIdAndEndingInUnderscoreId) {
  auto r = table({{"GET", "/a/{party_id}/b/{video_id}/"}, {"GET", "/c/{paid}/"}, {"GET", "/d/{_id}/"}});
  EXPECT_EQ(r.match("GET", "/a/" + kId + "/b/nope/").kind, RouteMatch::not_found);
  EXPECT_EQ(r.match("GET", "/a/" + kUpperId + "/b/" + kUpperId + "/").params.at("video_id"), kId);
  EXPECT_EQ(r.match("GET", "/c/anything/").kind, RouteMatch::found);  // "paid" is not *_id
  EXPECT_EQ(r.match("GET", "/d/" + kId + "/").kind, RouteMatch::found);
  EXPECT_EQ(r.match("GET", "/d/x/").kind, RouteMatch::found);  // "_id" is too short to be *_id
}

TEST(RouterRules, ARestParameterAgainstALongerRoute) {
  auto rest_first = table({{"GET", "/f/{p:path}"}, {"GET", "/f/a/b/"}});
  EXPECT_EQ(found(rest_first, "GET", "/f/a/b/"), "GET /f/{p:path}");
  auto literal_first = table({{"GET", "/f/a/b/"}, {"GET", "/f/{p:path}"}});
  EXPECT_EQ(found(literal_first, "GET", "/f/a/b/"), "GET /f/a/b/");
  EXPECT_EQ(found(literal_first, "GET", "/f/a/b"), "GET /f/{p:path}");  // no redirect: the rest fits
  EXPECT_EQ(found(literal_first, "GET", "/f/"), "not found");              // the rest is never empty
}

TEST(RouterRules, ARestValueIsTheSegmentsJoinedByOneSlash) {
  auto r = table({{"GET", "/api/videos/{id}/hls/{file:path}"}});
  auto m = r.match("GET", "/api/videos/" + kId + "/hls//720p///seg_001.ts//");
  ASSERT_EQ(m.kind, RouteMatch::found);
  EXPECT_EQ(m.params.at("file"), "720p/seg_001.ts/");
  EXPECT_EQ(r.match("GET", "/api/videos/" + kId + "/hls/a").params.at("file"), "a");
  std::string long_rest;
  for (int i = 0; i < 40; ++i) long_rest += "segment" + std::to_string(i) + "//";
  auto big = r.match("GET", "/api/videos/" + kUpperId + "/hls/" + long_rest);  // more than fits inline
  std::string joined = long_rest;
  for (auto p = joined.find("//"); p != std::string::npos; p = joined.find("//")) joined.erase(p, 1);
  EXPECT_EQ(big.params.at("file"), joined);
  EXPECT_EQ(big.params.at("id"), kId);
}

TEST(RouterRules, ParametersOutliveThePathAndCopiesOfTheMatch) {
  auto r = table({{"GET", "/api/parties/{id}/chat/{kind}/"}});
  RouteMatch kept;
  {
    std::string path = "/api/parties/" + kUpperId + "/chat/x/";
    kept = r.match("GET", path);
    path.assign(path.size(), '#');
  }
  RouteMatch copy = kept;
  kept = RouteMatch{};
  EXPECT_EQ(copy.params.at("id"), kId);
  EXPECT_EQ(copy.params.at("kind"), "x");
  EXPECT_THROW((void)copy.params.at("nope"), std::out_of_range);
  std::map<std::string, std::string> to_request;
  copy.params.copy_to(to_request);
  EXPECT_EQ(to_request, (std::map<std::string, std::string>{{"id", kId}, {"kind", "x"}}));
}

TEST(RouterRules, TrailingSlashes) {
  auto r = table({{"GET", "/a/"}, {"GET", "/b"}, {"GET", "/c/"}, {"GET", "/c"}, {"GET", "/u/{id}/"}});
  EXPECT_EQ(r.match("GET", "/a").kind, RouteMatch::redirect);
  EXPECT_EQ(r.match("GET", "/a").location, "/a/");
  EXPECT_EQ(r.match("POST", "/a").kind, RouteMatch::redirect);  // any method: the path is wrong, not the method
  EXPECT_EQ(r.match("GET", "/b/").kind, RouteMatch::not_found);
  EXPECT_EQ(found(r, "GET", "/c/"), "GET /c/");
  EXPECT_EQ(found(r, "GET", "/c"), "GET /c");
  EXPECT_EQ(r.match("GET", "//a//").kind, RouteMatch::found);  // empty segments do not count
  EXPECT_EQ(r.match("GET", "/u/" + kId).kind, RouteMatch::redirect);
  EXPECT_EQ(r.match("GET", "/u/not-a-uuid").kind, RouteMatch::not_found);  // no redirect to a 404
}

TEST(RouterRules, MethodNotAllowedListsEveryFittingRoute) {
  auto r = table({{"GET", "/v/{id}/"}, {"DELETE", "/v/{id}/"}, {"POST", "/v/{name}/"}, {"PUT", "/w/"}});
  auto m = r.match("PATCH", "/v/" + kId + "/");
  ASSERT_EQ(m.kind, RouteMatch::method_not_allowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "DELETE", "POST", "HEAD", "OPTIONS"}));
  auto text = r.match("GET", "/v/ann/");
  ASSERT_EQ(text.kind, RouteMatch::method_not_allowed);
  EXPECT_EQ(text.allowed, (std::vector<std::string>{"POST", "OPTIONS"}));  // no GET: no HEAD
  auto head = r.match("HEAD", "/w/");
  ASSERT_EQ(head.kind, RouteMatch::method_not_allowed);  // HEAD is served only by a GET route
  EXPECT_EQ(head.allowed, (std::vector<std::string>{"PUT", "OPTIONS"}));
  EXPECT_EQ(r.match("OPTIONS", "/w/").kind, RouteMatch::method_not_allowed);
  EXPECT_EQ(found(r, "HEAD", "/v/" + kId + "/"), "GET /v/{id}/");
}

TEST(RouterRules, TheFallbackServesOnlyGetAndHeadOfUnmatchedPaths) {
  Router r = table({{"POST", "/api/x/"}, {"GET", "/api/y/"}});
  r.set_fallback(Route{.method = "GET", .pattern = "/{path:path}"});
  auto m = r.match("HEAD", "//assets//app.js");
  ASSERT_EQ(m.kind, RouteMatch::found);
  EXPECT_EQ(m.route->pattern, "/{path:path}");
  EXPECT_EQ(m.params.at("path"), "//assets//app.js");  // the path as it came
  EXPECT_EQ(r.match("POST", "/nothing/").kind, RouteMatch::not_found);
  EXPECT_EQ(r.match("GET", "/api/x/").kind, RouteMatch::method_not_allowed);  // a route, not the fallback
  EXPECT_EQ(r.match("GET", "/api/y").kind, RouteMatch::redirect);
}

TEST(RouterRules, ThePathIsMatchedPercentDecoded) {
  // The session hands the router url.path(), as here: %2F becomes a separator, %69 an i.
  auto r = table({{"GET", "/api/users/{username}/"}, {"GET", "/api/files/{name:path}"}});
  auto decoded = [](const char* target) { return std::string(boost::urls::parse_origin_form(target)->path()); };
  EXPECT_EQ(r.match("GET", decoded("/api/users/al%69ce/")).params.at("username"), "alice");
  EXPECT_EQ(r.match("GET", decoded("/api/users/a%2Fb/")).kind, RouteMatch::not_found);
  EXPECT_EQ(r.match("GET", decoded("/api/files/a%2Fb")).params.at("name"), "a/b");
}

TEST(RouterRules, TooManyParametersAreRefused) {
  Router r;
  std::string pattern;
  for (std::size_t i = 0; i <= PathParams::kMax; ++i) pattern += "/{p" + std::to_string(i) + "}";
  EXPECT_THROW(r.add({.method = "GET", .pattern = pattern}), std::invalid_argument);
}

}  // namespace
