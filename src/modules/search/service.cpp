#include "modules/search/service.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/search/query.hpp"
#include "modules/search/question_json.hpp"

namespace wp::search {

namespace {

constexpr std::size_t kMaxText = 200;
constexpr int kSuggestPerKind = 5;
constexpr double kMinSimilarity = 0.3;  // pg_trgm's default threshold

bool anonymous_may_search(SearchType t) { return t == SearchType::video || t == SearchType::party; }
bool has_category(SearchType t) { return t == SearchType::video || t == SearchType::group || t == SearchType::event; }

bool has_status(SearchType t, StatusFilter s) {
  if (t == SearchType::party)
    return s == StatusFilter::scheduled || s == StatusFilter::live || s == StatusFilter::ended;
  if (t == SearchType::event)
    return s == StatusFilter::upcoming || s == StatusFilter::live || s == StatusFilter::ended ||
           s == StatusFilter::cancelled;
  return false;
}

// Whether kind t can answer q's filters at all (a filter a kind lacks leaves that kind out).
bool answers(SearchType t, const Filters& f) {
  if (f.category && !has_category(t)) return false;
  if ((f.min_duration || f.max_duration) && t != SearchType::video) return false;
  if (f.status && !has_status(t, *f.status)) return false;
  return true;
}

MatchText match_text(const std::vector<Token>& tokens, const std::string& text) {
  MatchText m;
  m.fts5 = to_fts5(tokens);
  m.fts5_title = m.fts5.empty() ? "" : "title : (" + m.fts5 + ")";
  m.websearch = text;
  return m;
}

}  // namespace

Viewer SearchService::viewer_of(const std::optional<Principal>& user) {
  if (!user) return {};
  return {user->id, user->staff()};
}

std::vector<SearchType> SearchService::kinds_for(const Viewer& viewer, const Question& q) {
  std::vector<SearchType> out;
  for (auto t : kKinds) {
    if (q.type != SearchType::all && q.type != t) continue;
    if (viewer.anonymous() && !anonymous_may_search(t)) continue;
    if (answers(t, q.filters)) out.push_back(t);
  }
  return out;
}

Answer SearchService::run(const Viewer& viewer, const Question& q, const std::string& text, int limit, int offset) {
  Answer a;
  auto tokens = parse_query(text);
  if (positive_words(tokens).empty()) return a;  // only exclusions: nothing asked for (on both engines)
  auto match = match_text(tokens, text);
  bool grouped = q.type == SearchType::all;
  a.kinds = store_.search(kinds_for(viewer, q), viewer, match, q.filters, q.order, limit, grouped ? 0 : offset);
  for (auto& r : a.kinds) a.total += r.count;
  return a;
}

std::string SearchService::correction(const std::string& text) {
  auto tokens = parse_query(text);
  bool changed = false;
  for (auto& t : tokens) {
    if (t.kind != Token::word && t.kind != Token::phrase) continue;
    for (auto& w : t.words) {
      if (w.size() < 3 || store_.term_known(w)) continue;
      std::string best;
      double best_score = kMinSimilarity;
      for (auto& c : store_.correction_candidates(w)) {
        double score = trigram_similarity(w, c);
        if (c != w && (score > best_score || (score == best_score && !best.empty() && c < best))) {
          best = c;
          best_score = score;
        }
      }
      if (!best.empty()) {
        w = best;
        changed = true;
      }
    }
  }
  return changed ? to_text(tokens) : "";
}

Answer SearchService::search(const Viewer& viewer, const Question& q, int limit, int offset,
                             const std::string& session_key) {
  if (q.text.size() > kMaxText) throw_validation("q", "Ensure this field has no more than 200 characters.");
  if (split_words(q.text).empty()) throw_validation("q", "Type at least one word.");
  double started = now_ms_precise();
  Answer a = run(viewer, q, q.text, limit, offset);
  if (a.total == 0) {
    // "Did you mean": offered only when the corrected text finds something this caller may see,
    // so the vocabulary (which holds the words of private rows too) reveals nothing by itself.
    auto corrected = correction(q.text);
    if (!corrected.empty()) {
      auto retry = run(viewer, q, corrected, limit, offset);
      if (retry.total > 0) {
        a = std::move(retry);
        a.did_you_mean = corrected;
      }
    }
  }
  QueryLogRow row;
  row.id = new_uuid();
  if (!viewer.anonymous()) row.user_id = viewer.user_id;
  row.session_key = viewer.anonymous() ? session_key : "";
  row.query = q.text;
  row.search_type = std::string(to_string(q.type));
  row.filters = filters_json(q);
  row.results_count = static_cast<int>(std::min<long long>(a.total, 1'000'000'000));
  row.corrected_query = a.did_you_mean;
  row.created_at = now_ms();
  row.latency_ms = now_ms_precise() - started;
  std::vector<std::pair<SearchType, std::string>> shown;
  for (auto& k : a.kinds)
    for (auto& h : k.hits) shown.emplace_back(h.type, h.id);
  store_.log_query(row, shown);
  a.query_id = row.id;
  return a;
}

long long SearchService::count_matches(const Viewer& viewer, const Question& q) {
  return run(viewer, q, q.text, 1, 0).total;
}

std::vector<Suggestion> SearchService::suggest(const Viewer& viewer, const std::string& text) {
  if (text.size() > kMaxText) throw_validation("q", "Ensure this field has no more than 200 characters.");
  auto words = split_words(text);
  if (words.empty() || words.back().size() < 2) return {};
  MatchText prefix{fts5_title_prefix(words), "", tsquery_prefix(words)};
  std::vector<SearchType> kinds;
  for (auto t : {SearchType::video, SearchType::party, SearchType::user})
    if (!viewer.anonymous() || anonymous_may_search(t)) kinds.push_back(t);
  return store_.suggest(kinds, viewer, prefix, kSuggestPerKind);
}

void SearchService::click(const Viewer& viewer, const std::string& session_key, const std::string& query_id,
                          SearchType type, const std::string& object_id) {
  std::optional<std::string> user;
  if (!viewer.anonymous()) user = viewer.user_id;
  if (!store_.click(query_id, type, object_id, user, session_key, now_ms()))
    throw_not_found("No such result of your search, or its click is already recorded.");
}

std::vector<RecentSearch> SearchService::recent(const Principal& user) { return store_.recent(user.id, 20); }

long long SearchService::clear_recent(const Principal& user) { return store_.clear_recent(user.id); }

Stats SearchService::stats(const Principal& staff, int days) {
  if (!staff.staff()) throw_forbidden("Only staff see search statistics.");
  return store_.stats(now_ms() - static_cast<std::int64_t>(days) * 86'400'000, 20);
}

long long SearchService::purge_expired() {
  return store_.purge_queries(now_ms() - static_cast<std::int64_t>(settings_.log_retention_days) * 86'400'000);
}

}  // namespace wp::search
