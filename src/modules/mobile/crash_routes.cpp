// /api/mobile/crashes/, sessions/ (anonymous allowed), and staff's crash groups and figures.
#include <boost/json.hpp>

#include <charconv>

#include "core/clock.hpp"
#include "core/fields.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/mobile/dto.hpp"
#include "modules/mobile/routes.hpp"

namespace wp::mobile {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxBreadcrumbsBytes = 16384;

Response report_crash(MobileService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  CrashInput in;
  in.platform = f.required_string("platform", 1, 16);
  in.app_version = f.required_string("app_version", 1, 64);
  in.os_version = f.optional_string("os_version", 64).value_or("");
  in.device_model = f.optional_string("device_model", 100).value_or("");
  in.stack_trace = f.required_string("stack_trace", 1, 1024 * 1024);
  if (auto* b = body.if_contains("breadcrumbs"); b && !b->is_null()) {
    if (!b->is_array()) f.add_error("breadcrumbs", "Must be a list.");
    else in.breadcrumbs = json::serialize(*b);
    if (in.breadcrumbs.size() > kMaxBreadcrumbsBytes) f.add_error("breadcrumbs", "At most 16384 bytes of JSON.");
  }
  if (auto at = f.optional_string("occurred_at", 64)) {
    in.occurred_at = parse_rfc3339(*at);
    if (!in.occurred_at) f.add_error("occurred_at", "Must be an RFC 3339 time.");
  }
  f.done();
  auto g = svc.report_crash(req.user, req.remote_ip, in);
  return http::json_response(json::object{{"group_id", g.id}, {"status", to_string(g.status)}, {"count", g.count}}, 201);
}

Response record_session(MobileService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  SessionRow s;
  s.id = f.required_string("id", 1, 64);
  s.device_id = f.required_string("device_id", 1, 128);
  s.platform = f.required_string("platform", 1, 16);
  s.app_version = f.optional_string("app_version", 64).value_or("");
  s.network_type = f.optional_string("network_type", 16).value_or("");
  s.started_at = f.optional_int("started_at", 0, 1LL << 50).value_or(0);
  s.ended_at = f.optional_int("ended_at", 0, 1LL << 50);
  s.screen_views = static_cast<int>(f.optional_int("screen_views", 0, 1000000).value_or(0));
  s.crashed = f.optional_bool("crashed").value_or(false);
  if (s.started_at == 0) f.add_error("started_at", "This field is required (ms since the epoch).");
  f.done();
  svc.record_session(req.user, req.remote_ip, s);
  return http::success_response();
}

Response list_groups(MobileService& svc, Request& req) {
  auto page = http::parse_page(req);
  auto listed = svc.crash_groups(req.query("status"), page.size, page.offset());
  json::array out;
  for (const auto& g : listed.rows) out.push_back(crash_group_json(g));
  return http::paginated(req, page, listed.count, std::move(out));
}

Response get_group(MobileService& svc, Request& req) {
  auto d = svc.crash_group(req.param("id"));
  auto out = crash_group_json(d.group);
  json::array versions, recent;
  for (const auto& v : d.versions) versions.push_back(json::object{{"app_version", v.app_version}, {"count", v.count}});
  for (const auto& c : d.recent) recent.push_back(crash_json(c));
  out["versions"] = std::move(versions);
  out["recent"] = std::move(recent);
  return http::json_response(out);
}

Response mark_fixed(MobileService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto version = f.required_string("version", 1, 64);
  f.done();
  return http::json_response(crash_group_json(svc.mark_fixed(req.param("id"), version)));
}

Response figures(MobileService& svc, Request& req) {
  int days = 7;
  if (auto d = req.query("days")) {
    auto [end, ec] = std::from_chars(d->data(), d->data() + d->size(), days);
    if (ec != std::errc() || end != d->data() + d->size()) throw_validation("days", "Must be a number of days.");
  }
  json::array out;
  for (const auto& p : svc.figures(days)) {
    double rate = p.sessions ? 1.0 - static_cast<double>(p.crashed_sessions) / static_cast<double>(p.sessions) : 1.0;
    out.push_back(json::object{{"platform", p.platform},
                               {"active_devices", p.active_devices},
                               {"sessions", p.sessions},
                               {"crashed_sessions", p.crashed_sessions},
                               {"crash_free_rate", rate}});
  }
  return http::json_response(json::object{{"days", days}, {"platforms", std::move(out)}});
}

}  // namespace

void add_crash_routes(http::Router& router, MobileService& svc) {
  http::ModuleRoutes routes(router, svc, "mobile");
  routes.add("POST", "/api/mobile/crashes/", "Report an app crash (anonymous allowed, rate-limited)", Access::anonymous,
             report_crash, {.max_body = 1200 * 1024});
  routes.add("POST", "/api/mobile/sessions/", "Record an app session (start, end, screens, network)",
             Access::anonymous, record_session);
  routes.add("GET", "/api/mobile/crash-groups/", "Crash groups, last seen first (?status=open|fixed|regressed; staff)",
             Access::staff, list_groups);
  routes.add("GET", "/api/mobile/crash-groups/{id}/", "A crash group with its counts per version (staff)",
             Access::staff, get_group);
  routes.add("POST", "/api/mobile/crash-groups/{id}/fixed/", "Mark a crash group fixed in a version (staff)",
             Access::staff, mark_fixed);
  routes.add("GET", "/api/mobile/stats/", "Active devices and crash-free sessions per platform (?days=7; staff)",
             Access::staff, figures);
}

}  // namespace wp::mobile
