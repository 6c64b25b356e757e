// http::ModuleRoutes: one row registers a route with its service, tag and extras.
#include <gtest/gtest.h>

#include <string>

#include "http/module_routes.hpp"

using namespace wp::http;

namespace {

struct Counter {
  int calls = 0;
};

Response count(Counter& c, Request&) {
  ++c.calls;
  Response r;
  r.body = std::to_string(c.calls);
  return r;
}

Response plain(Request&) {
  Response r;
  r.body = "plain";
  return r;
}

TEST(ModuleRoutes, BindsTheServiceTagAndExtras) {
  Router router;
  Counter counter;
  ModuleRoutes routes(router, counter, "things");
  routes.add("POST", "/api/things/", "Make a thing", Access::user, count, {.max_body = 42, .body_to_file = true});
  routes.add("GET", "/api/things/health/", "Alive", Access::anonymous, plain, {.inline_io = true});

  ASSERT_EQ(router.routes().size(), 2u);
  const Route& made = router.routes()[0];
  EXPECT_EQ(made.method, "POST");
  EXPECT_EQ(made.pattern, "/api/things/");
  EXPECT_EQ(made.summary, "Make a thing");
  EXPECT_EQ(made.access, Access::user);
  EXPECT_EQ(made.tag, "things");
  EXPECT_EQ(made.max_body, 42);
  EXPECT_TRUE(made.body_to_file);
  EXPECT_FALSE(made.inline_io);

  Request req;
  EXPECT_EQ(made.handler(req).body, "1");
  EXPECT_EQ(made.handler(req).body, "2");
  EXPECT_EQ(counter.calls, 2);

  const Route& health = router.routes()[1];
  EXPECT_EQ(health.tag, "things");
  EXPECT_EQ(health.access, Access::anonymous);
  EXPECT_TRUE(health.inline_io);
  EXPECT_FALSE(health.max_body);
  EXPECT_EQ(health.handler(req).body, "plain");
}

}  // namespace
