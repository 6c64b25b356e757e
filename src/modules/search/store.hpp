#pragma once
// Every read and write of search: the full-text queries over the indexed
// kinds (SQL text in sql.hpp), the vocabulary, and the query log.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "modules/search/model.hpp"

namespace wp::search {

// The text to match, in each engine's form.
struct MatchText {
  std::string fts5;        // SQLite: an FTS5 expression (query.hpp to_fts5)
  std::string fts5_title;  // the same restricted to the title column
  std::string websearch;   // PostgreSQL: the text for websearch_to_tsquery (suggest: a to_tsquery text)
};

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}
  db::Dialect dialect() const { return db_.dialect(); }

  // For each kind, in that order, one session: its page of hits the viewer may see, best first
  // by `order` among the kRankWindow visible matches added last, and how many match (at most
  // kCountCap, then count_capped).
  std::vector<KindResult> search(const std::vector<SearchType>& kinds, const Viewer& viewer, const MatchText& text,
                                 const Filters& filters, SearchOrder order, int limit, int offset);
  // Titles (usernames) of each kind that start with the words, the last one a prefix: up to
  // limit_per_kind of each, kind after kind.
  std::vector<Suggestion> suggest(const std::vector<SearchType>& kinds, const Viewer& viewer, const MatchText& prefix,
                                  int limit_per_kind);

  // The vocabulary of "did you mean".
  bool term_known(const std::string& term);
  // Candidate corrections: SQLite gives the terms of a similar length, PostgreSQL the pg_trgm neighbours.
  std::vector<std::string> correction_candidates(const std::string& term);

  void log_query(const QueryLogRow& row, const std::vector<std::pair<SearchType, std::string>>& shown);
  bool click(const std::string& query_id, SearchType type, const std::string& object_id,
             const std::optional<std::string>& user_id, const std::string& session_key, std::int64_t now);
  std::vector<RecentSearch> recent(const std::string& user_id, int limit);
  long long clear_recent(const std::string& user_id);
  long long purge_queries(std::int64_t before);
  Stats stats(std::int64_t since, int limit);

  // Saved searches (saved_store.cpp).
  std::vector<SavedSearchRow> saved_searches(const std::string& user_id);
  std::optional<SavedSearchRow> saved_search(const std::string& id);
  long long count_saved(const std::string& user_id);
  void insert_saved(const SavedSearchRow& row);
  void update_saved(const SavedSearchRow& row);
  void delete_saved(const std::string& id);
  std::vector<SavedSearchRow> due_alerts(std::int64_t cutoff, int limit);
  // True for the one caller that marks the alert sent (none sent since cutoff).
  bool claim_alert(const std::string& id, std::int64_t now, std::int64_t cutoff);
  void set_checked(const std::string& id, std::int64_t now);

 private:
  // SQLite: a kind's terms (sorted) as of its version in search_vocab_versions.
  struct KindTerms {
    long long version = -1;
    std::vector<std::string> terms;
  };
  // Reads the kinds whose version moved; call with vocab_mutex_ held.
  void refresh_vocabulary(soci::session& s);
  // fn(session) for a full-text query: on PostgreSQL inside a transaction priced for it
  // (sql::kPostgresPlannerCosts), on SQLite as it is.
  template <class F>
  auto with_planner_costs(F&& fn);

  db::Database& db_;
  std::mutex vocab_mutex_;
  std::map<std::string, KindTerms> vocabulary_;
};

}  // namespace wp::search
