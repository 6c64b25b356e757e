#include "modules/search/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"
#include "modules/search/query.hpp"

namespace wp::search {

namespace {

// The web page and the API object of a kind.
const char* web_path(SearchType t) {
  switch (t) {
    case SearchType::party: return "/parties/";
    case SearchType::user: return "/users/";
    case SearchType::group: return "/groups/";
    case SearchType::event: return "/events/";
    case SearchType::video:
    case SearchType::all: break;
  }
  return "/videos/";
}

const char* api_path(SearchType t) {
  switch (t) {
    case SearchType::party: return "/api/parties/";
    case SearchType::user: return "/api/users/";
    case SearchType::group: return "/api/groups/";
    case SearchType::event: return "/api/events/";
    case SearchType::video:
    case SearchType::all: break;
  }
  return "/api/videos/";
}

boost::json::array query_stats_json(const std::vector<QueryStat>& stats) {
  boost::json::array out;
  for (auto& q : stats)
    out.push_back({{"query", q.query}, {"searches", q.searches}, {"clicks", q.clicks}});
  return out;
}

}  // namespace

boost::json::object hit_json(const Hit& h) {
  boost::json::object o;
  o["type"] = to_string(h.type);
  o["id"] = h.id;
  o["title"] = h.title;
  o["highlights"] = {{"title", marked_to_html(h.title_marked)}, {"text", marked_to_html(h.body_marked)}};
  o["url"] = web_path(h.type) + h.id;
  o["api_url"] = api_path(h.type) + h.id + "/";
  if (!h.status.empty()) o["status"] = h.status;
  o["popularity"] = h.popularity;
  o["created_at"] = to_rfc3339(h.created_at);
  o["score"] = h.score;
  return o;
}

boost::json::object suggestion_json(const Suggestion& s) {
  return {{"type", to_string(s.type)}, {"id", s.id}, {"text", s.text}, {"url", web_path(s.type) + s.id}};
}

boost::json::object recent_json(const RecentSearch& r) {
  return {{"query", r.query}, {"type", r.search_type}, {"searched_at", to_rfc3339(r.searched_at)}};
}

boost::json::object stats_json(const Stats& s) {
  double ctr = s.with_results > 0 ? static_cast<double>(s.clicked) / static_cast<double>(s.with_results) : 0.0;
  return {{"searches", s.searches},
          {"with_results", s.with_results},
          {"clicked", s.clicked},
          {"click_through_rate", ctr},
          {"top_queries", query_stats_json(s.top)},
          {"zero_result_queries", query_stats_json(s.zero_results)}};
}

boost::json::object saved_json(const SavedSearchRow& s) {
  boost::system::error_code ec;
  auto filters = boost::json::parse(s.filters, ec);
  if (ec || !filters.is_object()) filters = boost::json::object{};
  auto& f = filters.as_object();
  for (auto key : {"from", "to"})
    if (auto v = f.if_contains(key); v && v->is_int64()) *v = to_rfc3339(v->as_int64());
  return {{"id", s.id},
          {"name", s.name},
          {"q", s.query},
          {"type", s.search_type},
          {"filters", filters},
          {"alert", s.alert},
          {"last_alert_at", http::time_or_null(s.last_alert_at)},
          {"created_at", to_rfc3339(s.created_at)},
          {"updated_at", to_rfc3339(s.updated_at)}};
}

}  // namespace wp::search
