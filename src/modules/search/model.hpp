#pragma once
// Search (issue #22): the vocabulary, the question a caller asks, and the
// rows a search returns.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::search {

// What a search looks through; `all` asks every kind the caller may search.
enum class SearchType { all, video, party, user, group, event };
enum class SearchOrder { relevance, newest, popular };
// The statuses of parties (scheduled, live, ended) and events (upcoming, live,
// ended, cancelled): a status filter keeps the kinds that have it.
enum class StatusFilter { scheduled, upcoming, live, ended, cancelled };

inline constexpr SearchType kKinds[] = {SearchType::video, SearchType::party, SearchType::user, SearchType::group,
                                        SearchType::event};

// Who is asking, as the visibility rules need it.
struct Viewer {
  std::string user_id;  // empty: anonymous
  bool staff = false;
  bool anonymous() const { return user_id.empty(); }
};

struct Filters {
  std::optional<std::string> category;         // videos, groups, events
  std::optional<std::int64_t> from, to;        // ms; created_at (events: start_time), to exclusive
  std::optional<double> min_duration, max_duration;  // seconds, videos only
  std::optional<StatusFilter> status;          // parties, events
};

struct Question {
  std::string text;      // as typed (websearch syntax: words, "phrases", -word, or)
  SearchType type = SearchType::all;
  Filters filters;
  SearchOrder order = SearchOrder::relevance;
};

struct Hit {
  SearchType type = SearchType::video;
  std::string id;
  std::string title;           // plain text
  std::string title_marked;    // with kMarkOpen / kMarkClose around the matched terms
  std::string body_marked;     // a fragment of the rest of the text, marked the same way
  std::string status;          // parties and events; empty otherwise
  std::int64_t popularity = 0; // views, participants, followers, members, going
  std::int64_t created_at = 0; // events: start_time
  double score = 0;            // higher is better, comparable only within one kind and engine
};

// Counting stops here: counting every match of a common word costs as much as ranking them.
inline constexpr long long kCountCap = 1000;
// A search ranks (and pages and counts) the matches added last, this many of those the caller may
// see: a word in most rows then costs about what a rarer one does (bench/search.md). It holds
// one more than kCountCap, so every page up to the capped count comes from it, and a window
// that is full says the count is capped.
inline constexpr int kRankWindow = kCountCap + 1;
static_assert(kRankWindow > kCountCap);

// One kind's answer: the page asked for and how many match in all (at most kCountCap).
struct KindResult {
  SearchType type = SearchType::video;
  long long count = 0;
  bool count_capped = false;  // more than kCountCap match
  std::vector<Hit> hits;
};

struct Answer {
  std::string query_id;  // the logged SearchQuery: clicks name it
  std::string did_you_mean;  // set when the text had no results and this correction had
  std::vector<KindResult> kinds;
  long long total = 0;
};

struct Suggestion {
  SearchType type = SearchType::video;
  std::string id;
  std::string text;
};

// The recording side.
struct QueryLogRow {
  std::string id;
  std::optional<std::string> user_id;
  std::string session_key;
  std::string query;
  std::string search_type;
  std::string filters = "{}";
  int results_count = 0;
  std::string corrected_query;
  double latency_ms = 0;
  std::int64_t created_at = 0;
};

struct RecentSearch {
  std::string query;
  std::string search_type;
  std::int64_t searched_at = 0;
};

struct QueryStat {
  std::string query;
  std::int64_t searches = 0;
  std::int64_t clicks = 0;
};

struct Stats {
  std::int64_t searches = 0, with_results = 0, clicked = 0;  // clicked: searches with at least one click
  std::vector<QueryStat> top, zero_results;
};

// A named search kept by a user (SavedSearch); filters as in the log (question_json.hpp).
struct SavedSearchRow {
  std::string id;
  std::string user_id;
  std::string name;
  std::string query;
  std::string search_type = "all";
  std::string filters = "{}";
  bool alert = false;
  std::optional<std::int64_t> last_alert_at;
  std::int64_t checked_until = 0;  // content before this was already looked at for the alert
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool owner_is_staff = false;     // read with the due alerts: the owner searches as themselves
};

// Around matched terms in the marked texts: characters no tokenizer indexes and
// people do not type, turned into <mark> after the text is HTML-escaped.
inline constexpr const char* kMarkOpen = "\u27E6";
inline constexpr const char* kMarkClose = "\u27E7";

}  // namespace wp::search

WP_ENUM_NAMES(wp::search::SearchType, {wp::search::SearchType::all, "all"}, {wp::search::SearchType::video, "video"},
              {wp::search::SearchType::party, "party"}, {wp::search::SearchType::user, "user"},
              {wp::search::SearchType::group, "group"}, {wp::search::SearchType::event, "event"});
WP_ENUM_NAMES(wp::search::SearchOrder, {wp::search::SearchOrder::relevance, "relevance"},
              {wp::search::SearchOrder::newest, "newest"}, {wp::search::SearchOrder::popular, "popular"});
WP_ENUM_NAMES(wp::search::StatusFilter, {wp::search::StatusFilter::scheduled, "scheduled"},
              {wp::search::StatusFilter::upcoming, "upcoming"}, {wp::search::StatusFilter::live, "live"},
              {wp::search::StatusFilter::ended, "ended"}, {wp::search::StatusFilter::cancelled, "cancelled"});
