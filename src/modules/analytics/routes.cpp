#include "modules/analytics/routes.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "modules/analytics/dto.hpp"
#include "http/user_agent.hpp"

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
  Client client{req.remote_ip, http::user_agent(req)};
  return http::json_response(batch_json(svc.ingest(user, client, events->get_array())));
}

Response event_types(AnalyticsService&, Request&) { return http::json_response(event_types_json()); }

std::int64_t time_param(Request& req, const char* name, std::int64_t fallback) {
  auto text = req.query(name);
  if (!text) return fallback;
  auto t = parse_rfc3339(*text);
  if (!t) throw_validation(name, "Must be an RFC 3339 time.");
  return *t;
}

// ?granularity=hour|day&from=&to= (RFC 3339). By default the last 30 days
// (day) or 48 hours (hour), up to now; at most 400 days or 31 days.
Range range_of(Request& req) {
  Range r;
  if (auto g = req.query("granularity")) r.granularity = require_enum<Granularity>("granularity", *g);
  const bool hourly = r.granularity == Granularity::hour;
  r.to = time_param(req, "to", now_ms());
  r.from = time_param(req, "from", r.to - (hourly ? 48LL * 3'600'000 : 30LL * 86'400'000));
  if (r.from >= r.to) throw_validation("from", "Must be before to.");
  if (r.to - r.from > (hourly ? 31LL : 400LL) * 86'400'000)
    throw_validation("from", hourly ? "At most 31 days of hours." : "At most 400 days.");
  return r;
}

std::optional<std::string> uuid_query(Request& req, const char* name) {
  auto v = req.query(name);
  if (v && !is_uuid(*v)) throw_validation(name, "Must be an id (UUID).");
  return v;
}

Response video_analytics(AnalyticsService& svc, Request& req) {
  auto range = range_of(req);
  const auto& id = req.param("id");
  return http::json_response(video_report_json(id, range, svc.video_report(req.current_user(), id, range)));
}

Response party_analytics(AnalyticsService& svc, Request& req) {
  auto range = range_of(req);
  const auto& id = req.param("id");
  return http::json_response(party_report_json(id, range, svc.party_report(req.current_user(), id, range)));
}

Response user_behavior(AnalyticsService& svc, Request& req) {
  auto range = range_of(req);
  return http::json_response(behavior_json(range, svc.user_behavior(req.current_user(), uuid_query(req, "user_id"), range)));
}

// ?weeks=1..52, 12 by default.
int weeks_of(Request& req) {
  auto w = req.query("weeks");
  if (!w) return 12;
  int n = 0;
  auto [end, ec] = std::from_chars(w->data(), w->data() + w->size(), n);
  if (ec != std::errc() || end != w->data() + w->size() || n < 1 || n > 52)
    throw_validation("weeks", "Must be a whole number from 1 to 52.");
  return n;
}

Response cohorts(AnalyticsService& svc, Request& req) {
  const int weeks = weeks_of(req);
  return http::json_response(cohorts_json(weeks, svc.cohorts(req.current_user(), weeks, now_ms())));
}

Response real_time(AnalyticsService& svc, Request& req) {
  return http::json_response(live_json(svc.real_time(req.current_user()), now_ms()));
}

Response predictive(AnalyticsService& svc, Request& req) {
  auto metric = Metric::daily_active_users;
  if (auto m = req.query("metric")) metric = require_enum<Metric>("metric", *m);
  return http::json_response(
      predictive_json(svc.predictive(req.current_user(), metric, uuid_query(req, "video_id"), now_ms())));
}

Response export_rollup(AnalyticsService& svc, Request& req) {
  auto kind = require_enum<RollupKind>("rollup", req.query("rollup").value_or(""));
  auto range = range_of(req);
  Response res;
  res.content_type = "text/csv; charset=utf-8";
  res.body = svc.export_csv(req.current_user(), kind, range);
  res.set_header("Content-Disposition", "attachment; filename=\"analytics-" + std::string(to_string(kind)) + "-" +
                                            std::string(to_string(range.granularity)) + ".csv\"");
  return res;
}

}  // namespace

void add_socket_messages(UserMessageHandlers& handlers, AnalyticsService& svc) {
  handlers.add("analytics_live", [&svc](const UserSocketMessage& m) {
    auto* on = m.body.if_contains("subscribe");
    if (on && !on->is_bool()) throw_validation("subscribe", "Must be true or false.");
    if (on && !on->as_bool()) {
      svc.unsubscribe_live(m.socket_id);
      return;
    }
    svc.subscribe_live(m.user, m.socket_id, [reply = m.reply](const LiveTotals& t, std::int64_t at) {
      reply(json::serialize(json::object{{"type", "analytics_live"}, {"data", live_json(t, at)}}));
    });
  });
}

void add_routes(http::Router& router, AnalyticsService& svc) {
  const auto A = Access::anonymous, U = Access::user, S = Access::staff;
  http::ModuleRoutes routes(router, svc, "analytics");
  routes.add("POST", "/api/analytics/events/",
             "Ingest a batch of up to 500 client events; bad ones are reported by index, the good ones kept", A,
             ingest, {.max_body = kMaxBatchBody, .bulk = true});
  routes.add("GET", "/api/analytics/event-types/", "The event types a client may send, and their version", A,
             event_types);
  routes.add("GET", "/api/analytics/video/{id}/analytics/",
             "A video's views, viewers, watch time, retention curve (its uploader and staff; granularity, from, to)", U,
             video_analytics);
  routes.add("GET", "/api/analytics/party/{id}/analytics/",
             "A party's members present (peak, average, drop-off, curve), messages, sync drift (its host and staff)",
             U, party_analytics);
  routes.add("GET", "/api/analytics/user-behavior/",
             "My activity by hour or day; staff: any user's (user_id) or all users' (active users)", U, user_behavior);
  routes.add("GET", "/api/analytics/cohorts/",
             "Users by signup week (Monday, UTC) and the share of each active in each week since (staff; weeks 1-52)", S,
             cohorts);
  routes.add("GET", "/api/analytics/real-time/",
             "Live counts summed across nodes: sockets, watching now, active parties, events per minute", S, real_time);
  routes.add("GET", "/api/analytics/predictive/",
             "Holt-Winters forecast of daily active users (staff) or a video's daily views, 14 days, 80% interval", U,
             predictive);
  routes.add("GET", "/api/analytics/export/", "A rollup (video, party, user) for a range, as CSV (staff)", S,
             export_rollup);
}

}  // namespace wp::analytics
