#include "modules/accounts/admin_routes.hpp"

#include "core/clock.hpp"
#include "core/strings.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/accounts/dto.hpp"

namespace wp::accounts {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

std::optional<bool> bool_query(const Request& req, const std::string& name) {
  auto v = req.query(name);
  if (!v) return std::nullopt;
  if (auto b = parse_bool_text(*v)) return b;
  throw_validation(name, "Must be true or false.");
}

// ---- moderation (#19): ?status=, ?plan=, ?joined_after=, ?joined_before=
std::optional<std::int64_t> time_query(const Request& req, const std::string& name) {
  auto v = req.query(name);
  if (!v || v->empty()) return std::nullopt;
  if (auto t = parse_rfc3339(*v)) return t;
  if (auto t = parse_rfc3339(*v + "T00:00:00Z")) return t;  // a plain date
  throw_validation(name, "Must be a date (YYYY-MM-DD) or an RFC 3339 time.");
}

void staff_filters(AccountsService& svc, const Request& req, UserFilter& filter) {
  if (auto status = req.query("status"); status && !status->empty()) {
    if (*status == "active" || *status == "inactive")
      filter.is_active = *status == "active";
    else if (*status == "muted" || *status == "suspended" || *status == "banned")
      filter.only_ids = svc.user_ids_in_standing(*status);
    else
      throw_validation("status", "Must be one of active, inactive, muted, suspended, banned.");
  }
  if (auto plan = req.query("plan"); plan && !plan->empty()) svc.filter_by_plan(*plan, filter);
  filter.joined_from = time_query(req, "joined_after");
  filter.joined_to = time_query(req, "joined_before");
}
// ---- end moderation

Response list_users(AccountsService& svc, Request& req) {
  auto page = http::parse_page(req);
  UserFilter filter;
  filter.search = req.query("search").value_or("");
  filter.is_active = bool_query(req, "is_active");
  if (auto o = req.query("ordering")) filter.ordering = require_enum<UserOrder>("ordering", *o);
  staff_filters(svc, req, filter);  // moderation (#19)
  long long count = 0;
  json::array out;
  for (auto& u : svc.admin_users(filter, page.size, page.offset(), count))
    out.push_back(user_json(u, svc.two_factor_enabled(u.id)));
  return http::paginated(req, page, count, std::move(out));
}

Response set_active(AccountsService& svc, Request& req, bool active) {
  auto u = svc.set_user_active(req.current_user(), req.param("id"), active);
  return http::json_response(user_json(u, svc.two_factor_enabled(u.id)));
}

Response deactivate(AccountsService& svc, Request& req) { return set_active(svc, req, false); }
Response activate(AccountsService& svc, Request& req) { return set_active(svc, req, true); }

}  // namespace

void add_admin_routes(http::Router& router, AccountsService& svc) {
  const auto S = http::Access::staff;
  http::ModuleRoutes routes(router, svc, "admin");
  routes.add("GET", "/api/admin/users/", "Every user (?search=, ?is_active=, ?status=, ?plan=, ?joined_after=, ?joined_before=, ?ordering=)", S, list_users);
  routes.add("POST", "/api/admin/users/{id}/deactivate/", "Deactivate a user: sessions end, sockets close", S,
             deactivate);
  routes.add("POST", "/api/admin/users/{id}/activate/", "Let a deactivated user log in again", S, activate);
}

}  // namespace wp::accounts
