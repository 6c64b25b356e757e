#include "db/migrations.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "core/clock.hpp"

namespace wp::db {

namespace {
const char* dialect_dir(Dialect d) { return d == Dialect::sqlite ? "sqlite" : "postgresql"; }

void ensure_table(soci::session& s) {
  s << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
       "applied_at BIGINT NOT NULL)";
}

bool has_table(soci::session& s, Dialect d) {
  int n = 0;
  if (d == Dialect::sqlite)
    s << "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'", soci::into(n);
  else
    s << "SELECT COUNT(*) FROM information_schema.tables WHERE table_name='schema_migrations' "
         "AND table_schema=current_schema()",
        soci::into(n);
  return n > 0;
}
}  // namespace

std::vector<Migration> migrations_for(Dialect dialect) {
  std::vector<Migration> out;
  for (auto& m : embedded_migrations()) {
    if (std::string(m.dialect) != dialect_dir(dialect)) continue;
    std::string name = m.name;
    auto underscore = name.find('_');
    if (underscore == std::string::npos) throw std::logic_error("migration name without NNNN_: " + name);
    out.push_back({std::stoi(name.substr(0, underscore)), name, m.sql});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].version == out[i - 1].version) throw std::logic_error("duplicate migration version " + out[i].name);
  return out;
}

int latest_version(Dialect dialect) {
  auto all = migrations_for(dialect);
  return all.empty() ? 0 : all.back().version;
}

namespace {
std::string upper_trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  std::string out = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A SQLite trigger's body holds statements of its own: its semicolons end the
// trigger only after the closing END.
bool inside_trigger_body(const std::string& cur) {
  auto text = upper_trimmed(cur);
  if (text.rfind("CREATE TRIGGER", 0) != 0) return false;
  return text.size() < 3 || text.compare(text.size() - 3, 3, "END") != 0;
}
}  // namespace

std::vector<std::string> split_sql(const std::string& script) {
  std::vector<std::string> out;
  std::string cur;
  std::string dollar_tag;  // the $tag$ of a PostgreSQL dollar-quoted body being read
  enum { normal, single, dbl, line_comment, block_comment, dollar } st = normal;
  for (std::size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    char next = i + 1 < script.size() ? script[i + 1] : '\0';
    switch (st) {
      case normal:
        if (c == '\'') st = single;
        else if (c == '"') st = dbl;
        else if (c == '-' && next == '-') { st = line_comment; ++i; continue; }
        else if (c == '/' && next == '*') { st = block_comment; ++i; continue; }
        else if (c == '$' && script.find('$', i + 1) != std::string::npos) {
          auto end = script.find('$', i + 1);
          auto tag = script.substr(i, end - i + 1);
          if (tag.find_first_of(" \t\r\n;'\"") == std::string::npos) {
            st = dollar;
            dollar_tag = tag;
            cur += tag;
            i = end;
            continue;
          }
        }
        else if (c == ';' && inside_trigger_body(cur)) break;
        else if (c == ';') {
          if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
          cur.clear();
          continue;
        }
        break;
      case single: if (c == '\'') st = normal; break;
      case dbl: if (c == '"') st = normal; break;
      case line_comment: if (c == '\n') { st = normal; cur.push_back('\n'); } continue;
      case block_comment: if (c == '*' && next == '/') { st = normal; ++i; } continue;
      case dollar:
        if (script.compare(i, dollar_tag.size(), dollar_tag) == 0) {
          cur += dollar_tag;
          i += dollar_tag.size() - 1;
          st = normal;
          continue;
        }
        break;
    }
    cur.push_back(c);
  }
  if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
  return out;
}

std::vector<std::string> apply_migrations(Database& db, const std::vector<Migration>& migrations) {
  return db.tx([&](soci::session& s) {
    if (db.dialect() == Dialect::postgresql) s << "SELECT pg_advisory_xact_lock(7274727)";
    ensure_table(s);
    std::set<int> applied;
    {
      soci::rowset<int> rows = (s.prepare << "SELECT version FROM schema_migrations");
      for (int v : rows) applied.insert(v);
    }
    std::vector<std::string> done;
    for (auto& m : migrations) {
      if (applied.count(m.version)) continue;
      for (auto& stmt : split_sql(m.sql)) s << stmt;
      long long at = now_ms();
      int version = m.version;
      s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)", soci::use(version),
          soci::use(m.name), soci::use(at);
      spdlog::info("applied migration {}", m.name);
      done.push_back(m.name);
    }
    return done;
  });
}

std::vector<std::string> apply_migrations(Database& db) { return apply_migrations(db, migrations_for(db.dialect())); }

int current_version(Database& db) {
  return db.with([&](soci::session& s) {
    if (!has_table(s, db.dialect())) return 0;
    soci::indicator ind;
    int v = 0;
    s << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
    return ind == soci::i_ok ? v : 0;
  });
}

}  // namespace wp::db
