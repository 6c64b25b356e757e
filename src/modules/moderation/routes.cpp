#include "modules/moderation/routes.hpp"

#include "core/fields.hpp"
#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/moderation/dto.hpp"

namespace wp::moderation {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxBulk = 500;

Window window(const http::Page& page) { return {page.size, page.offset()}; }

template <class E>
std::optional<E> enum_query(const Request& req, const char* name) {
  auto v = req.query(name);
  if (!v || v->empty()) return std::nullopt;
  return require_enum<E>(name, *v);
}

template <class E>
std::optional<E> enum_field(Fields& f, const char* name, bool required) {
  auto text = required ? std::optional(f.required_string(name, 1, 32)) : f.optional_string(name, 32);
  if (!text || text->empty()) return std::nullopt;
  auto v = parse_enum<E>(*text);
  if (!v) f.add_error(name, "Must be one of " + enum_choices<E>() + ".");
  return v;
}

template <class Rows, class Shape>
Response page_of(Request& req, const http::Page& page, long long count, const Rows& rows, Shape shape) {
  json::array out;
  for (auto& r : rows) out.push_back(shape(r));
  return http::paginated(req, page, count, std::move(out));
}

// ---------------------------------------------------------------- reports

Response create_report(ModerationService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  ReportInput in;
  auto type = enum_field<ContentType>(f, "content_type", true);
  in.object_id = f.required_string("object_id", 1, 64);
  auto report_type = enum_field<ReportType>(f, "report_type", true);
  in.description = f.optional_string("description", 2000).value_or("");
  f.done();
  in.content_type = *type;
  in.report_type = *report_type;
  return http::json_response(my_report_json(svc.report(req.current_user(), in)), 201);
}

Response my_reports(ModerationService& svc, Request& req) {
  auto page = http::parse_page(req);
  json::array out;
  for (auto& r : svc.my_reports(req.current_user(), window(page))) out.push_back(my_report_json(r));
  return http::json_response(json::object{{"results", std::move(out)}});
}

Response list_reports(ModerationService& svc, Request& req) {
  auto page = http::parse_page(req);
  ReportFilter filter;
  filter.status = enum_query<ReportStatus>(req, "status");
  filter.content_type = enum_query<ContentType>(req, "content_type");
  filter.object_id = req.query("object_id");
  auto listed = svc.reports(req.current_user(), filter, window(page));
  return page_of(req, page, listed.count, listed.rows, report_json);
}

Response update_report(ModerationService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto status = enum_field<ReportStatus>(f, "status", false);
  auto notes = f.optional_string("admin_notes", 4000);
  f.done();
  return http::json_response(report_json(svc.update_report(req.current_user(), req.param("id"), status, notes)));
}

// ---------------------------------------------------------------- queue and flags

Response queue(ModerationService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  auto items = svc.queue(req.current_user(), enum_query<ContentType>(req, "content_type"), window(page), count);
  return page_of(req, page, count, items, queue_item_json);
}

Response resolve(ModerationService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto status = enum_field<ReportStatus>(f, "status", true);
  f.done();
  auto type = require_enum<ContentType>("content_type", req.param("content_type"));
  auto n = svc.resolve(req.current_user(), type, req.param("object_id"), *status);
  return http::json_response(json::object{{"resolved_reports", n}});
}

Response list_flags(ModerationService& svc, Request& req) {
  auto page = http::parse_page(req);
  json::array out;
  for (auto& fl : svc.flags(req.current_user(), enum_query<FlagStatus>(req, "status"), window(page)))
    out.push_back(flag_json(fl));
  return http::json_response(json::object{{"results", std::move(out)}});
}

// ---------------------------------------------------------------- actions and standing

ActionInput action_input(Fields& f, ActionType action) {
  ActionInput in;
  in.action = action;
  in.reason = f.required_string("reason", 1, 2000);
  in.duration_s = f.optional_int("duration_s", 60, kMaxPeriodS);
  return in;
}

Response create_action(ModerationService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto action = enum_field<ActionType>(f, "action", true);
  auto in = action_input(f, action.value_or(ActionType::warn));
  in.user_id = f.optional_string("user_id", 64);
  in.content_type = enum_field<ContentType>(f, "content_type", false);
  in.object_id = f.optional_string("object_id", 64);
  in.report_id = f.optional_string("report_id", 64);
  f.done();
  return http::json_response(action_json(svc.act(req.current_user(), in)), 201);
}

Response list_actions(ModerationService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  auto rows = svc.actions(req.current_user(), req.query("user_id"), window(page), count);
  return page_of(req, page, count, rows, action_json);
}

Response my_standing(ModerationService& svc, Request& req) {
  auto page = http::parse_page(req);
  auto v = svc.my_standing(req.current_user(), window(page));
  json::array actions;
  for (auto& a : v.actions) actions.push_back(my_action_json(a));
  auto out = standing_json(v.standing);
  out["actions"] = std::move(actions);
  out["actions_count"] = v.count;
  out["appeal_url"] = "/support/new?category=appeal";
  return http::json_response(out);
}

// ---------------------------------------------------------------- /api/admin/users/

Response user_action(ModerationService& svc, Request& req, ActionType action) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto in = action_input(f, action);
  f.done();
  in.user_id = req.param("id");
  return http::json_response(action_json(svc.act(req.current_user(), in)), 201);
}

std::vector<std::string> ids_field(const json::object& body, Fields& f) {
  std::vector<std::string> ids;
  auto* v = body.if_contains("ids");
  if (!v || !v->is_array() || v->as_array().empty() || v->as_array().size() > kMaxBulk) {
    f.add_error("ids", "A list of 1 to " + std::to_string(kMaxBulk) + " user ids.");
    return ids;
  }
  for (auto& id : v->as_array()) {
    if (!id.is_string() || !is_uuid(id.as_string())) {
      f.add_error("ids", "Every id must be a user id (UUID).");
      return {};
    }
    ids.emplace_back(id.as_string());
  }
  return ids;
}

Response bulk(ModerationService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  BulkInput in;
  in.ids = ids_field(body, f);
  auto action = enum_field<BulkAction>(f, "action", true);
  bool needs_reason = action && *action != BulkAction::activate && *action != BulkAction::deactivate;
  in.reason = needs_reason ? f.required_string("reason", 1, 2000) : f.optional_string("reason", 2000).value_or("");
  in.duration_s = f.optional_int("duration_s", 60, kMaxPeriodS);
  f.done();
  in.action = *action;
  json::array results;
  long long failed = 0;
  for (auto& r : svc.bulk(req.current_user(), in)) {
    json::object o{{"id", r.id}, {"ok", !r.error}};
    if (r.action) o["action"] = action_json(*r.action);
    if (r.error) {
      ++failed;
      o["status"] = http_status(r.error->code());
      o["error"] = r.error->what();
    }
    results.push_back(std::move(o));
  }
  return http::json_response(json::object{{"results", std::move(results)}, {"failed", failed}});
}

}  // namespace

void add_routes(http::Router& router, ModerationService& service) {
  const auto U = Access::user;
  const auto S = Access::staff;
  http::ModuleRoutes routes(router, service, "moderation");
  routes.add("POST", "/api/moderation/reports/", "Report content (one open report per object)", U, create_report);
  routes.add("GET", "/api/moderation/reports/mine/", "My reports and their status", U, my_reports);
  routes.add("GET", "/api/moderation/standing/", "My standing: mute, suspension, warnings, actions on me", U,
             my_standing);
  routes.add("GET", "/api/moderation/appeal/standing/",
             "The standing of a user who cannot log in (suspended, banned), named by X-Appeal-Token", Access::anonymous,
             [](ModerationService& svc, Request& req) {
               req.user = svc.appellant(std::string(req.header("X-Appeal-Token").value_or("")));
               return my_standing(svc, req);
             });
  routes.add("GET", "/api/moderation/reports/", "Reports (?status=, ?content_type=, ?object_id=)", S, list_reports);
  routes.add("PATCH", "/api/moderation/reports/{id}/", "Set a report's status or admin notes", S, update_report);
  routes.add("GET", "/api/moderation/queue/", "Open reports and flags by object, with the content inline", S, queue);
  routes.add("POST", "/api/moderation/queue/{content_type}/{object_id}/resolve/",
             "Close an object's open reports and flags (actioned or dismissed)", S, resolve);
  routes.add("GET", "/api/moderation/flags/", "Automatic flags (?status=)", S, list_flags);
  routes.add("POST", "/api/moderation/actions/", "Warn, remove content, mute, suspend, ban or lift", S,
             create_action);
  routes.add("GET", "/api/moderation/actions/", "The audit trail of actions (?user_id=)", S, list_actions);
  http::ModuleRoutes admin(router, service, "admin");
  admin.add("POST", "/api/admin/users/{id}/suspend/", "Suspend a user for duration_s: login refused, sockets close",
            S, [](ModerationService& s, Request& r) { return user_action(s, r, ActionType::suspend); });
  admin.add("POST", "/api/admin/users/{id}/unsuspend/", "Lift a user's suspension, ban and mute", S,
            [](ModerationService& s, Request& r) { return user_action(s, r, ActionType::lift); });
  admin.add("POST", "/api/admin/users/{id}/ban/", "Ban a user for good: login refused, sockets close", S,
            [](ModerationService& s, Request& r) { return user_action(s, r, ActionType::ban); });
  admin.add("POST", "/api/admin/users/bulk/", "One action on a list of users (ids), each reported on its own", S,
            bulk);
}

}  // namespace wp::moderation
