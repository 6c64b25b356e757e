#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/blocking_pool.hpp"
#include "http/dispatcher.hpp"
#include "http/json.hpp"

using namespace wp::http;

namespace {

Request request_for(const Router& router, const std::string& method, const std::string& path, RouteMatch& m) {
  Request req;
  req.method = method;
  req.path = path;
  req.request_id = "rid-1";
  m = router.match(method, path);
  if (m.route) req.route = m.route->pattern;
  return req;
}

TEST(Dispatcher, BugsBecome500WithoutInternals) {
  Router router;
  router.add({.method = "GET", .pattern = "/boom/", .access = Access::anonymous,
              .handler = [](Request&) -> Response { throw std::runtime_error("secret detail"); }});
  Dispatcher d(router, {});
  RouteMatch m;
  auto req = request_for(router, "GET", "/boom/", m);
  auto res = d.run(*m.route, req);
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("secret"), std::string::npos);
  auto body = boost::json::parse(res.body).as_object();
  EXPECT_EQ(body.at("error_code").as_string(), "INTERNAL_ERROR");
  EXPECT_EQ(body.at("request_id").as_string(), "rid-1");
}

TEST(Dispatcher, AccessLevelsAreEnforcedBeforeTheHandler) {
  Router router;
  std::atomic<int> calls{0};
  auto h = [&](Request&) {
    ++calls;
    return Response{};
  };
  router.add({.method = "GET", .pattern = "/user/", .access = Access::user, .handler = h});
  router.add({.method = "GET", .pattern = "/staff/", .access = Access::staff, .handler = h});
  Dispatcher d(router, {});
  std::optional<wp::Principal> who;
  d.set_authenticator([&](const Request&) { return who; });
  RouteMatch m;
  auto req = request_for(router, "GET", "/user/", m);
  EXPECT_EQ(d.run(*m.route, req).status, 401);
  who = wp::Principal{.id = "u1", .username = "ann"};
  req = request_for(router, "GET", "/user/", m);
  EXPECT_EQ(d.run(*m.route, req).status, 200);
  req = request_for(router, "GET", "/staff/", m);
  EXPECT_EQ(d.run(*m.route, req).status, 403);
  who->is_staff = true;
  req = request_for(router, "GET", "/staff/", m);
  EXPECT_EQ(d.run(*m.route, req).status, 200);
  EXPECT_EQ(calls.load(), 2);
}

TEST(Dispatcher, InvalidCredentialsAre401EvenOnAnonymousRoutes) {
  Router router;
  router.add({.method = "GET", .pattern = "/open/", .access = Access::anonymous,
              .handler = [](Request&) { return Response{}; }});
  Dispatcher d(router, {});
  d.set_authenticator([](const Request&) -> std::optional<wp::Principal> {
    throw wp::Error(wp::ErrorCode::authentication, "Token expired.");
  });
  RouteMatch m;
  auto req = request_for(router, "GET", "/open/", m);
  EXPECT_EQ(d.run(*m.route, req).status, 401);
}

// A route's from_memory answers on the I/O thread only when both it and the
// memory authenticator can; every other case goes to the pool (nullopt).
TEST(Dispatcher, FromMemoryAnswersOnlyWhenAuthenticationAndTheRouteCan) {
  Router router;
  bool kept = false;
  int pooled = 0;
  router.add({.method = "GET", .pattern = "/me/", .access = Access::user,
              .handler = [&](Request&) { ++pooled; return Response{}; },
              .from_memory = [&](Request& req) -> std::optional<Response> {
                if (!kept) return std::nullopt;
                Response r;
                r.body = req.current_user().id;
                return r;
              }});
  router.add({.method = "GET", .pattern = "/plain/", .access = Access::anonymous,
              .handler = [](Request&) { return Response{}; }});
  Dispatcher d(router, {});
  std::optional<wp::Principal> who = wp::Principal{.id = "u1", .username = "ann"};
  d.set_authenticator([&](const Request&) { return who; });
  RouteMatch m;
  auto req = request_for(router, "GET", "/me/", m);
  EXPECT_FALSE(d.run_from_memory(*m.route, req)) << "an authenticator that may block is not run on an I/O thread";

  MemoryAuth auth;
  d.set_memory_authenticator([&](const Request&) { return auth; });
  kept = true;
  EXPECT_FALSE(d.run_from_memory(*m.route, req)) << "the credentials were not answered from memory";
  auth = {.answered = true, .user = who};
  kept = false;
  EXPECT_FALSE(d.run_from_memory(*m.route, req)) << "the route had nothing in memory";
  kept = true;
  auto answer = d.run_from_memory(*m.route, req);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "u1");

  auth = {.answered = true};  // no credentials: the access rule answers
  auto refused = d.run_from_memory(*m.route, req);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  d.set_memory_authenticator([](const Request&) -> MemoryAuth {
    throw wp::Error(wp::ErrorCode::authentication, "The session has ended.");
  });
  refused = d.run_from_memory(*m.route, req);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  req = request_for(router, "GET", "/plain/", m);
  EXPECT_FALSE(d.run_from_memory(*m.route, req)) << "a route without from_memory";
  EXPECT_EQ(pooled, 0);
}

TEST(BlockingPool, RefusesWhenTheQueueIsFull) {
  wp::BlockingPool pool(1, 2);
  std::atomic<bool> release{false};
  std::atomic<int> ran{0};
  auto blocker = [&] {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ++ran;
  };
  ASSERT_TRUE(pool.try_submit(blocker));
  while (pool.busy() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE(pool.try_submit(blocker));
  EXPECT_TRUE(pool.try_submit(blocker));
  EXPECT_FALSE(pool.try_submit(blocker));
  EXPECT_EQ(pool.queued(), 2u);
  release = true;
  pool.stop();
  EXPECT_EQ(ran.load(), 3);
}

}  // namespace
