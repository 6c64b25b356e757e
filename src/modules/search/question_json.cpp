#include "modules/search/question_json.hpp"

#include <boost/json.hpp>

namespace wp::search {

namespace json = boost::json;

std::string filters_json(const Question& q) {
  json::object o;
  if (q.filters.category) o["category"] = *q.filters.category;
  if (q.filters.from) o["from"] = *q.filters.from;
  if (q.filters.to) o["to"] = *q.filters.to;
  if (q.filters.min_duration) o["min_duration"] = *q.filters.min_duration;
  if (q.filters.max_duration) o["max_duration"] = *q.filters.max_duration;
  if (q.filters.status) o["status"] = to_string(*q.filters.status);
  o["ordering"] = to_string(q.order);
  return json::serialize(o);
}

namespace {
std::optional<double> number(const json::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  return std::nullopt;
}
std::optional<std::string> text(const json::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}
}  // namespace

Question question_from(const std::string& query, const std::string& type, const std::string& filters) {
  Question q;
  q.text = query;
  q.type = parse_enum<SearchType>(type).value_or(SearchType::all);
  boost::system::error_code ec;
  auto parsed = json::parse(filters, ec);
  if (ec || !parsed.is_object()) return q;
  const auto& o = parsed.as_object();
  q.filters.category = text(o, "category");
  if (auto v = number(o, "from")) q.filters.from = static_cast<std::int64_t>(*v);
  if (auto v = number(o, "to")) q.filters.to = static_cast<std::int64_t>(*v);
  q.filters.min_duration = number(o, "min_duration");
  q.filters.max_duration = number(o, "max_duration");
  if (auto s = text(o, "status")) q.filters.status = parse_enum<StatusFilter>(*s);
  if (auto s = text(o, "ordering")) q.order = parse_enum<SearchOrder>(*s).value_or(SearchOrder::relevance);
  return q;
}

}  // namespace wp::search
