#include "modules/analytics/routes.hpp"

#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "modules/analytics/dto.hpp"

namespace wp::analytics {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

// 500 events of event_data at the default limit, with their other fields.
constexpr std::int64_t kMaxBatchBody = 4 * 1024 * 1024;

Response ingest(AnalyticsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  auto* events = body.if_contains("events");
  if (!events || !events->is_array()) throw_validation("events", "Must be an array of events.");
  const Principal* user = req.user ? &*req.user : nullptr;
  Client client{req.remote_ip, req.header("User-Agent").value_or("")};
  return http::json_response(batch_json(svc.ingest(user, client, events->get_array())));
}

Response event_types(AnalyticsService&, Request&) { return http::json_response(event_types_json()); }

}  // namespace

void add_routes(http::Router& router, AnalyticsService& svc) {
  const auto A = Access::anonymous;
  http::ModuleRoutes routes(router, svc, "analytics");
  routes.add("POST", "/api/analytics/events/",
             "Ingest a batch of up to 500 client events; bad ones are reported by index, the good ones kept", A,
             ingest, {.max_body = kMaxBatchBody});
  routes.add("GET", "/api/analytics/event-types/", "The event types a client may send, and their version", A,
             event_types);
}

}  // namespace wp::analytics
