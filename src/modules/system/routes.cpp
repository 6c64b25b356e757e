#include "modules/system/routes.hpp"

#include <mutex>

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/openapi.hpp"

namespace wp::system {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

// Written by hand: load balancers ask many times a second, and the time is the only value.
Response health(Request&) {
  Response r;
  r.body.reserve(64);
  r.body.append(R"({"status":"ok","time":")").append(to_rfc3339(now_ms())).append(R"("})");
  return r;
}

Response ready(SystemService& service, Request& req) {
  auto r = service.readiness();
  json::object details{{"database", r.database_ok ? "ok" : "unreachable"},
                       {"schema_version", r.schema_version},
                       {"latest_version", r.latest_version}};
  if (!r.ready()) {
    std::string why = !r.database_ok ? "Database unreachable." : "Migrations pending.";
    auto res = http::error_response(Error(ErrorCode::unavailable, why), req.request_id);
    auto body = json::parse(res.body).as_object();
    body["details"] = details;
    res.body = json::serialize(body);
    return res;
  }
  details["status"] = "ready";
  return http::json_response(details);
}

Response prometheus(Request&) {
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics().render();
  return r;
}

}  // namespace

void add_routes(http::Router& router, SystemService& service) {
  const auto A = Access::anonymous;
  http::ModuleRoutes routes(router, service, "system");
  routes.add("GET", "/api/health/", "Liveness: the process answers", A, health, {.inline_io = true});
  routes.add("GET", "/api/ready/", "Readiness: database reachable, migrations current", A, ready);
  routes.add("GET", "/metrics", "Prometheus metrics", A, prometheus, {.inline_io = true});
  auto schema = [&router](Request&) {
    // Generated once, after every module has registered its routes.
    static std::once_flag once;
    static std::string doc;
    std::call_once(once, [&] { doc = http::openapi_document(router, WATCHPARTY_VERSION); });
    Response r;
    r.body = doc;
    return r;
  };
  routes.add("GET", "/api/schema/", "OpenAPI 3.1 document of every route", A, schema, {.inline_io = true});
}

}  // namespace wp::system
