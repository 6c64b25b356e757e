#include "modules/search/routes.hpp"

#include <charconv>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/fields.hpp"
#include "core/validators.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/search/dto.hpp"

namespace wp::search {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr int kGroupedDefault = 5;

// An anonymous caller in the log: its address and agent, hashed.
std::string session_key(const Request& req) {
  return crypto::sha256_hex(req.remote_ip + "|" + req.header("User-Agent").value_or(""));
}

std::optional<std::int64_t> time_param(const Request& req, const char* name) {
  auto v = req.query(name);
  if (!v || v->empty()) return std::nullopt;
  if (auto t = parse_rfc3339(*v)) return t;
  if (v->size() == 10)
    if (auto t = parse_rfc3339(*v + "T00:00:00Z")) return t;  // a plain date: its start (UTC)
  throw_validation(name, "Enter a date (YYYY-MM-DD) or an RFC 3339 time.");
}

std::optional<double> seconds_param(const Request& req, const char* name) {
  auto v = req.query(name);
  if (!v || v->empty()) return std::nullopt;
  double out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < 0) throw_validation(name, "Enter seconds (a number >= 0).");
  return out;
}

template <class E>
std::optional<E> enum_param(const Request& req, const char* name) {
  auto v = req.query(name);
  if (!v || v->empty()) return std::nullopt;
  return require_enum<E>(name, *v);
}

Question question(const Request& req) {
  Question q;
  q.text = req.query("q").value_or("");
  q.type = enum_param<SearchType>(req, "type").value_or(SearchType::all);
  q.order = enum_param<SearchOrder>(req, "ordering").value_or(SearchOrder::relevance);
  if (auto c = req.query("category"); c && !c->empty()) q.filters.category = *c;
  q.filters.from = time_param(req, "from");
  q.filters.to = time_param(req, "to");
  q.filters.min_duration = seconds_param(req, "min_duration");
  q.filters.max_duration = seconds_param(req, "max_duration");
  q.filters.status = enum_param<StatusFilter>(req, "status");
  return q;
}

json::array hits_json(const std::vector<Hit>& hits) {
  json::array out;
  for (auto& h : hits) out.push_back(hit_json(h));
  return out;
}

Response search(SearchService& svc, Request& req) {
  auto q = question(req);
  auto viewer = SearchService::viewer_of(req.user);
  bool grouped = q.type == SearchType::all;
  auto page = http::parse_page(req, grouped ? kGroupedDefault : 20);
  auto answer = svc.search(viewer, q, page.size, page.offset(), session_key(req));
  json::object body;
  if (grouped) {
    json::object kinds;
    bool capped = false;
    for (auto& k : answer.kinds) {
      kinds[to_string(k.type)] = {{"count", k.count}, {"count_capped", k.count_capped}, {"results", hits_json(k.hits)}};
      capped = capped || k.count_capped;
    }
    body["count"] = answer.total;
    body["count_capped"] = capped;
    body["results"] = std::move(kinds);
  } else {
    long long count = answer.kinds.empty() ? 0 : answer.kinds.front().count;
    auto hits = answer.kinds.empty() ? json::array{} : hits_json(answer.kinds.front().hits);
    body = json::parse(http::paginated(req, page, count, std::move(hits)).body).as_object();
    body["count_capped"] = !answer.kinds.empty() && answer.kinds.front().count_capped;
  }
  body["type"] = to_string(q.type);
  body["query"] = q.text;
  body["query_id"] = answer.query_id;
  body["did_you_mean"] = answer.did_you_mean.empty() ? json::value(nullptr) : json::value(answer.did_you_mean);
  return http::json_response(body);
}

Response suggest(SearchService& svc, Request& req) {
  json::array out;
  for (auto& s : svc.suggest(SearchService::viewer_of(req.user), req.query("q").value_or("")))
    out.push_back(suggestion_json(s));
  return http::json_response(json::object{{"results", std::move(out)}});
}

Response click(SearchService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto query_id = f.required_string("query_id", 1, 64);
  auto type = f.required_string("type", 1, 16);
  auto id = f.required_string("id", 1, 64);
  f.done();
  auto kind = require_enum<SearchType>("type", type);
  svc.click(SearchService::viewer_of(req.user), session_key(req), query_id, kind, id);
  return http::success_response();
}

Response recent(SearchService& svc, Request& req) {
  json::array out;
  for (auto& r : svc.recent(req.current_user())) out.push_back(recent_json(r));
  return http::json_response(json::object{{"results", std::move(out)}});
}

Response clear_recent(SearchService& svc, Request& req) {
  auto n = svc.clear_recent(req.current_user());
  return http::success_response({{"deleted", n}});
}

Response stats(SearchService& svc, Request& req) {
  int days = 7;
  if (auto d = req.query("days"); d && !d->empty()) {
    auto [end, ec] = std::from_chars(d->data(), d->data() + d->size(), days);
    if (ec != std::errc() || end != d->data() + d->size() || days < 1 || days > 365)
      throw_validation("days", "Enter a whole number of days from 1 to 365.");
  }
  return http::json_response(stats_json(svc.stats(req.current_user(), days)));
}

}  // namespace

void add_routes(http::Router& router, SearchService& service) {
  http::ModuleRoutes routes(router, service, "search");
  const auto A = Access::anonymous, U = Access::user, S = Access::staff;
  routes.add("GET", "/api/search/",
             "Search videos, parties, users, groups and events I may see (q, type, category, from, to, "
             "min_duration, max_duration, status, ordering; grouped by type unless type is given)",
             A, search);
  routes.add("GET", "/api/search/suggest/", "Autocomplete: titles and usernames starting with q", A, suggest);
  routes.add("POST", "/api/search/click/", "Record a click on a result a search of mine showed", A, click);
  routes.add("GET", "/api/search/recent/", "My recent searches", U, recent);
  routes.add("DELETE", "/api/search/recent/", "Delete my recent searches (and their log rows)", U, clear_recent);
  routes.add("GET", "/api/search/stats/", "Search statistics: top queries, zero-result queries, click-through",
             S, stats);
}

}  // namespace wp::search
