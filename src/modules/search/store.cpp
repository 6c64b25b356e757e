#include "modules/search/store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>

#include "core/ids.hpp"
#include "core/strings.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "modules/search/sql.hpp"

namespace wp::search {

using soci::into;
using soci::use;

namespace {

const sql::KindSql& kind_sql(SearchType t) {
  for (auto& k : sql::kKindSql)
    if (k.type == t) return k;
  throw Error(ErrorCode::internal, "no search kind " + std::string(to_string(t)));
}

// Parameters of a statement built at run time: only those its text names are bound.
class Params {
 public:
  void text(std::string name, std::string v) { texts_.emplace_back(std::move(name), std::move(v)); }
  void number(std::string name, long long v) { numbers_.emplace_back(std::move(name), v); }
  void real(std::string name, double v) { reals_.emplace_back(std::move(name), v); }
  void viewer(const std::string& id) {
    for (int i = 1; i <= 5; ++i) text("vw" + std::to_string(i), id);
  }
  void bind(soci::statement& st, const std::string& sql) {
    for (auto& [n, v] : texts_)
      if (names(sql, n)) st.exchange(use(v, n));
    for (auto& [n, v] : numbers_)
      if (names(sql, n)) st.exchange(use(v, n));
    for (auto& [n, v] : reals_)
      if (names(sql, n)) st.exchange(use(v, n));
  }

 private:
  static bool names(const std::string& sql, const std::string& name) {
    for (auto at = sql.find(":" + name); at != std::string::npos; at = sql.find(":" + name, at + 1)) {
      auto end = at + 1 + name.size();
      if (end >= sql.size() || !(std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_')) return true;
    }
    return false;
  }
  std::deque<std::pair<std::string, std::string>> texts_;
  std::deque<std::pair<std::string, long long>> numbers_;
  std::deque<std::pair<std::string, double>> reals_;
};

std::string alias_of(const sql::KindSql& k) {
  std::string t = k.table;
  return t.substr(t.find(' ') + 1);
}

// Fills the {placeholders} of a kind's SQL.
std::string fill(std::string text, const sql::KindSql& k, bool postgres) {
  std::string priv = postgres ? sql::kPrivateProfilePostgres : sql::kPrivateProfileSqlite;
  std::map<std::string, std::string> values{
      {"{fts}", k.fts},       {"{table}", k.table},         {"{alias}", alias_of(k)},   {"{id}", k.id},
      {"{title}", k.title},   {"{body}", k.body},           {"{status}", k.status},     {"{popularity}", k.popularity},
      {"{created}", k.created}, {"{private}", priv},         {"{titles}", k.titles ? k.titles : ""}};
  for (auto& [from, to] : values) replace_all(text, from, to);
  return text;
}

const char* visibility(const sql::KindSql& k, const Viewer& v) {
  if (v.anonymous()) return k.anonymous ? k.anonymous : " AND 1 = 0";
  return v.staff ? k.staff : k.user;
}

// The WHERE after the match: visibility, the private-names rule of users, the filters.
std::string where(const sql::KindSql& k, const Viewer& v, const Filters& f, bool postgres, Params& p,
                  bool names_rule = true) {
  std::string w = visibility(k, v);
  if (!v.anonymous()) p.viewer(v.user_id);
  if (names_rule && k.type == SearchType::user && !v.staff) w += postgres ? sql::kPostgresUserNames : sql::kSqliteUserNames;
  if (f.category && k.category) {
    w += std::string(" AND ") + k.category;
    p.text("category", *f.category);
  }
  if (f.from) w += std::string(" AND ") + k.date_column + " >= :dfrom", p.number("dfrom", *f.from);
  if (f.to) w += std::string(" AND ") + k.date_column + " < :dto", p.number("dto", *f.to);
  if (k.duration && f.min_duration) w += std::string(" AND ") + k.duration + " >= :dmin", p.real("dmin", *f.min_duration);
  if (k.duration && f.max_duration) w += std::string(" AND ") + k.duration + " <= :dmax", p.real("dmax", *f.max_duration);
  if (k.has_status && f.status) {
    w += std::string(" AND ") + k.status + " = :status";
    p.text("status", std::string(to_string(*f.status)));
  } else if (k.type == SearchType::party) {
    w += sql::kPartyNotEnded;
  }
  return fill(w, k, postgres);
}

const char* order_sql(SearchOrder o) {
  switch (o) {
    case SearchOrder::newest: return sql::kOrderNewest;
    case SearchOrder::popular: return sql::kOrderPopular;
    case SearchOrder::relevance: break;
  }
  return sql::kOrderRelevance;
}

// The order over the window's columns, named bare (in the window) or through `shown`.
std::string ordered(SearchOrder o, const char* prefix) {
  std::string out = order_sql(o);
  replace_all(out, "{w}", prefix);
  return out;
}

std::string body_marked(const sql::KindSql& k, const Viewer& v, bool postgres) {
  std::string body = postgres ? sql::kPostgresHeadline : sql::kSqliteSnippet;
  if (k.type == SearchType::user && !v.staff) body = "CASE WHEN {private} THEN '' ELSE " + body + " END";
  return body;
}

// The page's hits; `total` is set to the size of the window they were taken from.
std::vector<Hit> fetch_hits(soci::session& s, SearchType type, const std::string& text, Params& p, long long& total) {
  Hit h;
  h.type = type;
  soci::statement st(s);
  st.exchange(into(h.id));
  st.exchange(into(h.title));
  st.exchange(into(h.title_marked));
  st.exchange(into(h.body_marked));
  st.exchange(into(h.status));
  long long popularity = 0, created = 0;
  st.exchange(into(popularity));
  st.exchange(into(created));
  st.exchange(into(h.score));
  st.exchange(into(total));
  p.bind(st, text);
  st.alloc();
  st.prepare(text, soci::details::st_one_time_query);  // one round trip (db/columns.hpp)
  st.define_and_bind();
  std::vector<Hit> out;
  if (st.execute(true)) {
    do {
      h.popularity = popularity;
      h.created_at = created;
      out.push_back(h);
    } while (st.fetch());
  }
  return out;
}

long long fetch_number(soci::session& s, const std::string& text, Params& p) {
  long long n = 0;
  soci::statement st(s);
  st.exchange(into(n));
  p.bind(st, text);
  st.alloc();
  st.prepare(text, soci::details::st_one_time_query);  // one round trip (db/columns.hpp)
  st.define_and_bind();
  st.execute(true);
  return n;
}

// One kind's page of hits and its count (Store::search).
KindResult search_kind(soci::session& s, bool pg, SearchType kind, const Viewer& viewer, const MatchText& text,
                       const Filters& filters, SearchOrder order, int limit, int offset) {
  const auto& k = kind_sql(kind);
  Params p;
  p.text("q", pg ? text.websearch : text.fts5);
  p.text("q2", pg ? text.websearch : text.fts5);
  if (!pg) p.text("qt", text.fts5_title);
  std::string window = pg ? sql::kPostgresWindow : sql::kSqliteWindow;
  replace_all(window, "{where}", where(k, viewer, filters, pg, p));
  replace_all(window, "{win_popularity}", order == SearchOrder::popular ? "{popularity}" : "0");
  window = fill(window, k, pg);
  std::string page = pg ? sql::kPostgresPage : sql::kSqlitePage;
  replace_all(page, "{window}", window);
  replace_all(page, "{order}", ordered(order, ""));
  replace_all(page, "{shown_order}", ordered(order, "shown."));
  replace_all(page, "{body_marked}", body_marked(k, viewer, pg));
  page = fill(page, k, pg);
  p.number("win", kRankWindow);
  p.number("lim", limit);
  p.number("off", offset);
  KindResult r;
  r.type = kind;
  long long total = 0;
  r.hits = fetch_hits(s, kind, page, p, total);
  if (r.hits.empty() && offset > 0) {  // past the last page: the window's size is not in the answer
    std::string counting = sql::kWindowCount;
    replace_all(counting, "{window}", window);
    total = fetch_number(s, counting, p);
  }
  r.count = std::min(total, kCountCap);
  r.count_capped = total > kCountCap;
  return r;
}

// One kind's suggestions, appended to out (Store::suggest).
void suggest_kind(soci::session& s, bool pg, SearchType kind, const Viewer& viewer, const MatchText& prefix,
                  int limit, std::vector<Suggestion>& out) {
  const auto& k = kind_sql(kind);
  Params p;
  p.text("q", pg ? prefix.websearch : prefix.fts5);
  std::string text = pg ? sql::kPostgresSuggest : sql::kSqliteSuggest;
  // Only titles (usernames) are matched: the rule on the names of private profiles has nothing to hide here.
  replace_all(text, "{visible}", where(k, viewer, Filters{}, pg, p, false));
  text = fill(text, k, pg);
  p.number("lim", limit);
  Suggestion sug;
  sug.type = kind;
  soci::statement st(s);
  st.exchange(into(sug.id));
  st.exchange(into(sug.text));
  p.bind(st, text);
  st.alloc();
  st.prepare(text, soci::details::st_one_time_query);  // one round trip (db/columns.hpp)
  st.define_and_bind();
  if (st.execute(true)) {
    do out.push_back(sug);
    while (st.fetch());
  }
}

}  // namespace

template <class F>
auto Store::with_planner_costs(F&& fn) {
  if (db_.dialect() != db::Dialect::postgresql) return db_.with(std::forward<F>(fn));
  return db_.tx([&](soci::session& s) {
    s << sql::kPostgresPlannerCosts;
    return fn(s);
  });
}

std::vector<KindResult> Store::search(const std::vector<SearchType>& kinds, const Viewer& viewer,
                                      const MatchText& text, const Filters& filters, SearchOrder order, int limit,
                                      int offset) {
  bool pg = db_.dialect() == db::Dialect::postgresql;
  return with_planner_costs([&](soci::session& s) {
    std::vector<KindResult> out;
    for (auto kind : kinds) out.push_back(search_kind(s, pg, kind, viewer, text, filters, order, limit, offset));
    return out;
  });
}

std::vector<Suggestion> Store::suggest(const std::vector<SearchType>& kinds, const Viewer& viewer,
                                       const MatchText& prefix, int limit_per_kind) {
  bool pg = db_.dialect() == db::Dialect::postgresql;
  return with_planner_costs([&](soci::session& s) {
    std::vector<Suggestion> out;
    for (auto kind : kinds) suggest_kind(s, pg, kind, viewer, prefix, limit_per_kind, out);
    return out;
  });
}

void Store::refresh_vocabulary(soci::session& s) {
  std::map<std::string, long long> versions;
  {
    std::string kind;
    long long version = 0;
    soci::statement st = (s.prepare << sql::kSqliteVocabVersions, into(kind), into(version));
    if (st.execute(true)) {
      do versions[kind] = version;
      while (st.fetch());
    }
  }
  for (auto& v : sql::kSqliteVocab) {
    auto& cached = vocabulary_[v.kind];
    long long now = versions.count(v.kind) ? versions[v.kind] : 0;
    if (cached.version == now) continue;
    // The version is read before the terms: a write in between moves it again, and the next call rereads.
    std::vector<std::string> terms;
    std::string t;
    soci::statement st = (s.prepare << v.terms, into(t));
    if (st.execute(true)) {
      do terms.push_back(t);
      while (st.fetch());
    }
    std::sort(terms.begin(), terms.end());
    cached = {now, std::move(terms)};
  }
}

namespace {
std::size_t utf8_length(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}
}  // namespace

bool Store::term_known(const std::string& term) {
  if (db_.dialect() == db::Dialect::postgresql) {
    Params p;
    p.text("t1", term);
    std::string text = sql::kPostgresTermKnown;
    return db_.with([&](soci::session& s) { return fetch_number(s, text, p) > 0; });
  }
  return db_.with([&](soci::session& s) {
    std::lock_guard lock(vocab_mutex_);
    refresh_vocabulary(s);
    for (auto& [kind, cached] : vocabulary_)
      if (std::binary_search(cached.terms.begin(), cached.terms.end(), term)) return true;
    return false;
  });
}

std::vector<std::string> Store::correction_candidates(const std::string& term) {
  if (db_.dialect() == db::Dialect::postgresql) {
    Params p;
    p.text("t1", term);
    p.text("t2", term);
    std::string text = sql::kPostgresClosestTerms;
    return db_.with([&](soci::session& s) {
      std::string t;
      soci::statement st(s);
      st.exchange(into(t));
      p.bind(st, text);
      st.alloc();
      st.prepare(text, soci::details::st_one_time_query);  // one round trip (db/columns.hpp)
      st.define_and_bind();
      std::vector<std::string> out;
      if (st.execute(true)) {
        do out.push_back(t);
        while (st.fetch());
      }
      return out;
    });
  }
  // SQLite: the terms 2 characters shorter to 2 longer than the word's bytes, as the vocabulary's SQL had it.
  auto low = static_cast<long long>(term.size()) - 2, high = static_cast<long long>(term.size()) + 2;
  return db_.with([&](soci::session& s) {
    std::lock_guard lock(vocab_mutex_);
    refresh_vocabulary(s);
    std::vector<std::string> out;
    for (auto& [kind, cached] : vocabulary_)
      for (auto& t : cached.terms) {
        auto n = static_cast<long long>(utf8_length(t));
        if (n >= low && n <= high) out.push_back(t);
      }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  });
}

void Store::log_query(const QueryLogRow& r, const std::vector<std::pair<SearchType, std::string>>& shown) {
  db_.tx([&](soci::session& s) {
    soci::indicator user_ind = r.user_id ? soci::i_ok : soci::i_null;
    std::string user = r.user_id.value_or("");
    long long created = r.created_at;
    int n = r.results_count;
    s << sql::kInsertQuery, use(r.id), use(user, user_ind), use(r.session_key), use(r.query), use(r.search_type),
        use(r.filters), use(n), use(r.corrected_query), use(r.latency_ms), use(created);
    int position = 0;
    for (auto& [type, id] : shown) {
      std::string rid = new_uuid(), t(to_string(type));
      ++position;
      s << sql::kInsertResult, use(rid), use(r.id), use(position), use(t), use(id);
    }
  });
}

bool Store::click(const std::string& query_id, SearchType type, const std::string& object_id,
                  const std::optional<std::string>& user_id, const std::string& session_key, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long t = now;
    std::string ty(to_string(type)), user = user_id.value_or("");
    soci::statement st = (s.prepare << sql::kClick, use(t), use(query_id), use(ty), use(object_id), use(query_id),
                          use(session_key), use(user));
    return db::execute_counting(st) > 0;
  });
}

std::vector<RecentSearch> Store::recent(const std::string& user_id, int limit) {
  return db_.with([&](soci::session& s) {
    RecentSearch r;
    long long at = 0;
    soci::statement st = (s.prepare << sql::kRecent, into(r.query), into(r.search_type), into(at), use(user_id),
                          use(limit));
    std::vector<RecentSearch> out;
    if (st.execute(true)) {
      do {
        r.searched_at = at;
        out.push_back(r);
      } while (st.fetch());
    }
    return out;
  });
}

long long Store::clear_recent(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kClearRecent, use(user_id));
    return db::execute_counting(st);
  });
}

long long Store::purge_queries(std::int64_t before) {
  return db_.with([&](soci::session& s) {
    long long b = before;
    soci::statement st = (s.prepare << sql::kPurgeQueries, use(b));
    return db::execute_counting(st);
  });
}

namespace {
std::vector<QueryStat> query_stats(soci::session& s, bool zero, long long since, int limit) {
  std::string text = sql::kStatsTop;
  replace_all(text, "{zero}", zero ? sql::kOnlyZero : "");
  QueryStat q;
  long long searches = 0, clicks = 0;
  soci::statement st = (s.prepare << text, into(q.query), into(searches), into(clicks), use(since), use(limit));
  std::vector<QueryStat> out;
  if (st.execute(true)) {
    do {
      q.searches = searches;
      q.clicks = clicks;
      out.push_back(q);
    } while (st.fetch());
  }
  return out;
}
}  // namespace

Stats Store::stats(std::int64_t since, int limit) {
  return db_.with([&](soci::session& s) {
    Stats out;
    long long from = since, total = 0, with = 0, clicked = 0;
    s << sql::kStatsTotals, into(total), into(with), into(clicked), use(from);
    out.searches = total;
    out.with_results = with;
    out.clicked = clicked;
    out.top = query_stats(s, false, from, limit);
    out.zero_results = query_stats(s, true, from, limit);
    return out;
  });
}

}  // namespace wp::search
