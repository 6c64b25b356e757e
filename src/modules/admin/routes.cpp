#include "modules/admin/routes.hpp"

#include "core/clock.hpp"
#include "core/fields.hpp"
#include "core/ids.hpp"
#include "core/strings.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/admin/dto.hpp"

namespace wp::admin {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::int64_t kHourMs = 3600LL * 1000;

std::optional<std::int64_t> time_query(const Request& req, const std::string& name) {
  auto v = req.query(name);
  if (!v) return std::nullopt;
  if (auto t = parse_rfc3339(*v)) return t;
  throw_validation(name, "Must be an RFC 3339 time.");
}

// ---------------------------------------------------------------- users export

// Adapts the export to the transport's chunked body.
class ExportBody : public http::BodyStream {
 public:
  explicit ExportBody(std::shared_ptr<UserExport> e) : export_(std::move(e)) {}
  std::optional<std::string> next() override { return export_->next(); }

 private:
  std::shared_ptr<UserExport> export_;
};

ExportRequest parse_export(const Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  ExportRequest out;
  auto format = f.optional_string("format", 16).value_or("csv");
  out.is_active = f.optional_bool("is_active");
  if (auto* fields = body.if_contains("fields")) {
    if (!fields->is_array() || fields->as_array().empty() || fields->as_array().size() > 20) {
      f.add_error("fields", "Must be a list of 1 to 20 field names.");
    } else {
      for (auto& v : fields->as_array()) {
        auto field = v.is_string() ? parse_enum<ExportField>(std::string(v.as_string())) : std::nullopt;
        if (!field) {
          f.add_error("fields", "Each must be one of " + enum_choices<ExportField>() + ".");
          break;
        }
        out.fields.push_back(*field);
      }
    }
  } else {
    out.fields = {ExportField::id, ExportField::username, ExportField::is_active, ExportField::date_joined};
  }
  f.done();
  out.format = require_enum<ExportFormat>("format", format);
  return out;
}

Response export_users(AdminService& svc, Request& req) {
  auto request = parse_export(req);
  auto e = svc.start_export(req.current_user(), request);
  Response r;
  const bool csv = request.format == ExportFormat::csv;
  r.content_type = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
  auto day = to_rfc3339(now_ms()).substr(0, 10);
  r.set_header("Content-Disposition", "attachment; filename=\"users-" + day + (csv ? ".csv\"" : ".jsonl\""));
  r.set_header("Cache-Control", "no-store");
  r.stream = std::make_shared<ExportBody>(std::move(e));
  return r;
}

// ---------------------------------------------------------------- health, broadcasts

Response system_health(AdminService& svc, Request& req) {
  return http::json_response(health_json(svc.health(req.current_user())));
}

Response start_broadcast(AdminService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  BroadcastInput in;
  in.message = f.required_string("message", 1, 1000);
  auto severity = f.optional_string("severity", 16).value_or("info");
  auto audience = f.optional_string("audience", 16).value_or("all");
  in.plan = f.optional_string("plan", 64);
  auto expires = f.optional_string("expires_at", 40);
  in.notify = f.optional_bool("notify").value_or(true);
  if (expires) {
    in.expires_at = parse_rfc3339(*expires);
    if (!in.expires_at) f.add_error("expires_at", "Must be an RFC 3339 time.");
  }
  f.done();
  in.severity = require_enum<Severity>("severity", severity);
  in.audience = require_enum<Segment>("audience", audience);
  return http::json_response(broadcast_json(svc.start_broadcast(req.current_user(), in)), 202);
}

Response list_broadcasts(AdminService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& b : svc.broadcasts(req.current_user(), page.size, page.offset(), count)) out.push_back(broadcast_json(b));
  return http::paginated(req, page, count, std::move(out));
}

Response get_broadcast(AdminService& svc, Request& req) {
  return http::json_response(broadcast_status_json(svc.broadcast(req.current_user(), req.param("id"))));
}

Response active_broadcasts(AdminService& svc, Request& req) {
  json::array out;
  for (auto& b : svc.active_broadcasts(req.current_user())) out.push_back(broadcast_json(b));
  return http::json_response(json::object{{"results", std::move(out)}});
}

// ---------------------------------------------------------------- logs, errors, metrics

Response list_logs(AdminService& svc, Request& req) {
  auto page = http::parse_page(req);
  LogFilter filter;
  if (auto v = req.query("level")) filter.level = require_enum<AuditLevel>("level", *v);
  if (auto v = req.query("category")) filter.category = require_enum<AuditCategory>("category", *v);
  if (auto v = req.query("user_id")) {
    if (!is_uuid(*v)) throw_validation("user_id", "Must be a user id (UUID).");
    filter.user_id = *v;
  }
  filter.search = req.query("search").value_or("");
  filter.since = time_query(req, "since");
  filter.until = time_query(req, "until");
  long long count = 0;
  json::array out;
  for (auto& r : svc.logs(req.current_user(), filter, page.size, page.offset(), count))
    out.push_back(system_log_json(r));
  return http::paginated(req, page, count, std::move(out));
}

Response list_errors(AdminService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& r : svc.errors(req.current_user(), page.size, page.offset(), count)) out.push_back(error_log_json(r));
  return http::paginated(req, page, count, std::move(out));
}

Response get_error(AdminService& svc, Request& req) {
  auto [row, request_ids] = svc.error(req.current_user(), req.param("signature"));
  auto out = error_log_json(row);
  json::array ids;
  for (auto& id : request_ids) ids.push_back(json::string(id));
  out["recent_request_ids"] = std::move(ids);
  return http::json_response(out);
}

Response metric_names(AdminService& svc, Request& req) {
  auto since = time_query(req, "since").value_or(now_ms() - 24 * kHourMs);
  json::array out;
  for (auto& n : svc.series_names(req.current_user(), since)) out.push_back(json::string(n));
  return http::json_response(json::object{{"names", std::move(out)}});
}

Response metric_series(AdminService& svc, Request& req) {
  auto until = time_query(req, "until").value_or(now_ms() + 1);
  auto since = time_query(req, "since").value_or(until - 6 * kHourMs);
  const auto& name = req.param("name");
  return http::json_response(series_json(name, since, until, svc.series(req.current_user(), name, since, until)));
}

// ---------------------------------------------------------------- parties and videos

Response list_content(AdminService& svc, Request& req, ContentKind kind) {
  auto page = http::parse_page(req);
  ContentQuery q;
  q.search = req.query("search").value_or("");
  q.status = req.query("status");
  q.limit = page.size;
  q.offset = page.offset();
  long long count = 0;
  json::array out;
  for (auto& c : svc.content(req.current_user(), kind, q, count)) out.push_back(content_json(c));
  return http::paginated(req, page, count, std::move(out));
}

Response list_parties(AdminService& svc, Request& req) { return list_content(svc, req, ContentKind::party); }
Response list_videos(AdminService& svc, Request& req) { return list_content(svc, req, ContentKind::video); }

Response end_party(AdminService& svc, Request& req) {
  return http::json_response(content_json(svc.end_content(req.current_user(), ContentKind::party, req.param("id"))));
}

Response remove_party(AdminService& svc, Request& req) {
  svc.remove_content(req.current_user(), ContentKind::party, req.param("id"));
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response remove_video(AdminService& svc, Request& req) {
  svc.remove_content(req.current_user(), ContentKind::video, req.param("id"));
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace

void add_routes(http::Router& router, AdminService& svc) {
  const auto S = Access::staff, U = Access::user;
  http::ModuleRoutes routes(router, svc, "admin");
  routes.add("POST", "/api/admin/users/export/",
             "Staff: users as CSV or JSON Lines, streamed (email: superuser only; recorded in the audit trail)", S,
             export_users);
  routes.add("GET", "/api/admin/system-health/", "Staff: database, Redis, disk, queues, sockets and every node", S,
             system_health);
  routes.add("POST", "/api/admin/broadcast/",
             "Staff: a message to every open socket on every node and a notification to a segment (202)", S,
             start_broadcast);
  routes.add("GET", "/api/admin/broadcast/", "Staff: broadcasts, newest first", S, list_broadcasts);
  routes.add("GET", "/api/admin/broadcast/{id}/", "Staff: a broadcast and its delivery (sockets per node, notices)",
             S, get_broadcast);
  routes.add("GET", "/api/broadcasts/active/", "Broadcasts whose expiry is ahead (the banner of a page opened later)",
             U, active_broadcasts);
  routes.add("GET", "/api/admin/logs/", "Staff: the audit trail (?level=, ?category=, ?user_id=, ?search=, ?since=, "
             "?until=)", S, list_logs);
  routes.add("GET", "/api/admin/errors/", "Staff: server errors (500) grouped by signature, latest first", S,
             list_errors);
  routes.add("GET", "/api/admin/errors/{signature}/", "Staff: one error group and its recent request ids", S,
             get_error);
  routes.add("GET", "/api/admin/metrics/", "Staff: the names of the performance series (?since=)", S, metric_names);
  routes.add("GET", "/api/admin/metrics/{name}/", "Staff: one performance series (?since=, ?until=; 6 h by default)",
             S, metric_series);
  routes.add("GET", "/api/admin/parties/", "Staff: every party (?search=, ?status=)", S, list_parties);
  routes.add("POST", "/api/admin/parties/{id}/end/", "Staff: end a party now", S, end_party);
  routes.add("DELETE", "/api/admin/parties/{id}/", "Staff: delete a party (its sockets close)", S, remove_party);
  routes.add("GET", "/api/admin/videos/", "Staff: every video (?search=, ?status=)", S, list_videos);
  routes.add("DELETE", "/api/admin/videos/{id}/", "Staff: delete a video and its files", S, remove_video);
}

}  // namespace wp::admin
