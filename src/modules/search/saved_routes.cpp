#include "modules/search/saved_routes.hpp"

#include "core/clock.hpp"
#include "core/fields.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "modules/search/dto.hpp"

namespace wp::search {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kNameMax = 100, kQueryMax = 200;

std::optional<std::int64_t> time_field(Fields& f, const std::string& name) {
  auto v = f.optional_string(name, 40);
  if (!v || v->empty()) return std::nullopt;
  auto t = parse_rfc3339(*v);
  if (!t) t = v->size() == 10 ? parse_rfc3339(*v + "T00:00:00Z") : std::nullopt;
  if (!t) f.add_error(name, "Enter a date (YYYY-MM-DD) or an RFC 3339 time.");
  return t;
}

template <class E>
std::optional<E> enum_field(Fields& f, const std::string& name) {
  auto v = f.optional_string(name, 32);
  if (!v) return std::nullopt;
  auto e = parse_enum<E>(*v);
  if (!e) f.add_error(name, "Must be one of " + enum_choices<E>() + ".");
  return e;
}

// {"category","from","to","min_duration","max_duration","status","ordering"}, as the search's parameters.
void read_filters(const json::object& body, Question& q, Fields& outer) {
  Fields f(body);
  q.filters.category = f.optional_string("category", 50);
  q.filters.from = time_field(f, "from");
  q.filters.to = time_field(f, "to");
  q.filters.min_duration = f.optional_number("min_duration", 0, 1e9);
  q.filters.max_duration = f.optional_number("max_duration", 0, 1e9);
  q.filters.status = enum_field<StatusFilter>(f, "status");
  q.order = enum_field<SearchOrder>(f, "ordering").value_or(SearchOrder::relevance);
  if (!f.ok()) outer.add_error("filters", "Check the filters: category, from, to, min_duration, max_duration, "
                                          "status, ordering.");
}

Response list_saved(SavedSearches& svc, Request& req) {
  json::array out;
  for (auto& s : svc.list(req.current_user())) out.push_back(saved_json(s));
  return http::json_response(json::object{{"results", std::move(out)}});
}

Response create_saved(SavedSearches& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  SavedInput in;
  in.name = f.required_string("name", 1, kNameMax);
  in.question.text = f.required_string("q", 1, kQueryMax);
  in.question.type = enum_field<SearchType>(f, "type").value_or(SearchType::all);
  if (auto filters = f.optional_object("filters")) read_filters(*filters, in.question, f);
  in.alert = f.optional_bool("alert").value_or(false);
  f.done();
  return http::json_response(saved_json(svc.create(req.current_user(), in)), 201);
}

Response patch_saved(SavedSearches& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  SavedPatch in;
  in.name = f.optional_string("name", kNameMax);
  if (in.name && in.name->empty()) f.add_error("name", "This field may not be blank.");
  in.alert = f.optional_bool("alert");
  f.done();
  return http::json_response(saved_json(svc.update(req.current_user(), req.param("id"), in)));
}

Response delete_saved(SavedSearches& svc, Request& req) {
  svc.remove(req.current_user(), req.param("id"));
  Response r;
  r.status = 204;
  return r;
}

}  // namespace

void add_saved_routes(http::Router& router, SavedSearches& saved) {
  http::ModuleRoutes routes(router, saved, "search");
  const auto U = Access::user;
  routes.add("GET", "/api/search/saved/", "My saved searches", U, list_saved);
  routes.add("POST", "/api/search/saved/", "Save a search (name, q, type, filters, alert)", U, create_saved);
  routes.add("PATCH", "/api/search/saved/{id}/", "Rename a saved search or turn its alert on or off", U, patch_saved);
  routes.add("DELETE", "/api/search/saved/{id}/", "Delete a saved search", U, delete_saved);
}

}  // namespace wp::search
