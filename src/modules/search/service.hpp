#pragma once
// Search's rules: which kinds a caller may search and with which filters,
// the query translated for the engine, "did you mean" from the vocabulary,
// and the log (queries, shown results, clicks) with its retention.
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "modules/search/model.hpp"
#include "modules/search/store.hpp"

namespace wp::search {

struct Settings {
  int log_retention_days = 90;
};

class SearchService {
 public:
  SearchService(Store& store, Settings settings) : store_(store), settings_(settings) {}

  static Viewer viewer_of(const std::optional<Principal>& user);

  // Grouped (type all: the first `limit` of each kind, offset ignored) or one kind's page.
  // session_key identifies an anonymous caller in the log (and for its clicks).
  Answer search(const Viewer& viewer, const Question& q, int limit, int offset, const std::string& session_key);
  // How many rows match, for a saved search's alert: no log, no correction.
  long long count_matches(const Viewer& viewer, const Question& q);
  std::vector<Suggestion> suggest(const Viewer& viewer, const std::string& text);
  // Throws not_found unless the query was the caller's and showed that result.
  void click(const Viewer& viewer, const std::string& session_key, const std::string& query_id, SearchType type,
             const std::string& object_id);

  std::vector<RecentSearch> recent(const Principal& user);
  long long clear_recent(const Principal& user);
  Stats stats(const Principal& staff, int days);
  // Deletes the log past its retention; returns the queries deleted.
  long long purge_expired();

  // The kinds `q` looks through for this viewer, in result order.
  static std::vector<SearchType> kinds_for(const Viewer& viewer, const Question& q);
  // The text with each unknown word replaced by its closest indexed term; empty when nothing changes.
  std::string correction(const std::string& text);

 private:
  Answer run(const Viewer& viewer, const Question& q, const std::string& text, int limit, int offset);

  Store& store_;
  Settings settings_;
};

}  // namespace wp::search
