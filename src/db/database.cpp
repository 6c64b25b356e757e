#include "db/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <libpq-fe.h>
#include <poll.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <boost/url/parse.hpp>
#include <filesystem>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

namespace wp::db {

namespace {

std::string quote_conn_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

enum class Failure { connection, busy, unique, other };

Failure classify(const soci::soci_error& e) {
  if (auto pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    std::string state = pg->sqlstate();
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state == "53300") return Failure::connection;
    if (state == "23505") return Failure::unique;
    if (state == "40001" || state == "40P01" || state == "55P03") return Failure::busy;
    return Failure::other;
  }
  if (auto lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    int rc = lite->result() & 0xFF;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Failure::busy;
    if (lite->result() == SQLITE_CONSTRAINT_UNIQUE || lite->result() == SQLITE_CONSTRAINT_PRIMARYKEY)
      return Failure::unique;
    if (rc == SQLITE_CONSTRAINT && std::string(e.what()).find("UNIQUE") != std::string::npos) return Failure::unique;
    return Failure::other;
  }
  // SOCI reports a dropped PostgreSQL connection as a plain soci_error.
  std::string what = e.what();
  if (what.find("connection") != std::string::npos || what.find("server closed") != std::string::npos)
    return Failure::connection;
  return Failure::other;
}

// A PostgreSQL server that ended a session while it sat in the pool (a restart, a terminated
// backend) has sent its goodbye and closed the stream: the socket is readable, a poll without a
// wait tells, with no round trip. A restart quicker than kTrustIdleFor (revalidate) went unseen.
bool ended_by_server(soci::session& s) {
  int fd = PQsocket(static_cast<soci::postgresql_session_backend*>(s.get_backend())->conn_);
  if (fd < 0) return true;
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;  // readable, hung up or failed (a poll error: ask the server)
}

// SQLite counts every allocation of every connection under one process-wide mutex unless told not
// to: with a pool of threads each running statements, most of a one-row read became that mutex's
// contention (futex waits and wake-ups; bench/NOTES.md, "HTTP"). Nothing here reads those counters.
// Allowed only before SQLite initializes, so before the first connection opens.
void stop_sqlite_memory_statistics() {
  static const int rc = sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  if (rc != SQLITE_OK) spdlog::debug("sqlite3_config(MEMSTATUS) refused ({}): SQLite was initialized first", rc);
}
}  // namespace

std::string postgres_connect_string(const std::string& url) {
  auto u = boost::urls::parse_uri(url);
  if (!u || (u->scheme() != "postgresql" && u->scheme() != "postgres"))
    throw std::invalid_argument("not a postgresql:// URL");
  std::string out;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!v.empty()) out += (out.empty() ? "" : " ") + k + "=" + quote_conn_value(v);
  };
  std::string db = u->path();
  if (!db.empty() && db.front() == '/') db.erase(0, 1);
  add("dbname", db);
  add("user", u->has_userinfo() ? std::string(u->user()) : "");
  add("password", u->has_password() ? std::string(u->password()) : "");
  add("host", std::string(u->host_address()));
  add("port", std::string(u->port()));
  bool has_timeout = false;
  for (auto p : u->params()) {
    add(std::string(p.key), std::string(p.value));
    has_timeout = has_timeout || p.key == "connect_timeout";
  }
  // An unreachable server must fail a request (503), not hang it.
  if (!has_timeout) add("connect_timeout", "5");
  return out;
}

Database::Database(const Config& config) {
  if (config.database_url.rfind("postgres", 0) == 0) {
    dialect_ = Dialect::postgresql;
    connect_string_ = postgres_connect_string(config.database_url);
    auto u = boost::urls::parse_uri(config.database_url);
    description_ = "postgresql://" + std::string(u->host_address()) + ":" + std::string(u->port()) + u->path();
  } else {
    dialect_ = Dialect::sqlite;
    stop_sqlite_memory_statistics();
    auto path = config.sqlite_path();
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    connect_string_ = "db=" + path;
    description_ = "sqlite:" + path;
  }
  int n = config.effective_db_pool_size();
  for (int i = 0; i < n; ++i) idle_.push_back({connect(), std::chrono::steady_clock::now(), 0});
  pool_size_ = static_cast<std::size_t>(n);
}

std::size_t Database::in_use() {
  std::lock_guard lock(mu_);
  return pool_size_ - idle_.size();
}

Database::~Database() = default;

std::unique_ptr<soci::session> Database::connect() {
  std::unique_ptr<soci::session> s;
  try {
    if (dialect_ == Dialect::postgresql) {
      s = std::make_unique<soci::session>(*soci::factory_postgresql(), connect_string_);
      *s << "SET client_min_messages TO WARNING";
    } else {
      s = std::make_unique<soci::session>(*soci::factory_sqlite3(), connect_string_);
      *s << "PRAGMA journal_mode=WAL";
      *s << "PRAGMA foreign_keys=ON";
      *s << "PRAGMA busy_timeout=5000";
      *s << "PRAGMA synchronous=NORMAL";
      // SQLite's own default is a 2 MiB page cache per connection: a search that reads 2,000 rows of
      // a 100,000-video table by rowid then spent 4-5 µs a row in read(2) (bench/search.md). Mapped
      // reads share the OS page cache among every pooled connection; the page cache stays small.
      *s << "PRAGMA mmap_size=268435456";
      *s << "PRAGMA cache_size=-16384";
    }
  } catch (const soci::soci_error& e) {
    spdlog::error("database connect failed ({}): {}", description_, log::redact_sql_error(e.what()));
    throw Error(ErrorCode::unavailable, "Database unavailable.");
  }
  return s;
}

void Database::drop(std::unique_ptr<soci::session>& session) {
  if (!session) return;
  {
    std::lock_guard lock(kept_mu_);
    kept_.erase(session.get());
  }
  session.reset();
}

std::uint64_t Database::new_kept_key() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}

Database::Kept& Database::kept(soci::session& s, std::uint64_t key,
                               const std::function<std::unique_ptr<Kept>(soci::session&)>& make) {
  {
    std::lock_guard lock(kept_mu_);
    auto& of_session = kept_[&s];
    if (auto it = of_session.find(key); it != of_session.end()) return *it->second;
  }
  // Made outside the lock (a round trip on PostgreSQL); only this thread uses s meanwhile.
  auto made = make(s);
  std::lock_guard lock(kept_mu_);
  return *(kept_[&s][key] = std::move(made));
}

void Database::forget_kept(soci::session& s, std::uint64_t key) {
  std::unique_ptr<Kept> gone;
  {
    std::lock_guard lock(kept_mu_);
    auto it = kept_.find(&s);
    if (it == kept_.end()) return;
    if (auto k = it->second.find(key); k != it->second.end()) {
      gone = std::move(k->second);
      it->second.erase(k);
    }
  }
}

Database::Pooled Database::acquire() {
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, acquire_timeout_, [this] { return !idle_.empty(); }))
    throw Error(ErrorCode::unavailable, "Database busy.");
  auto p = std::move(idle_.back());
  idle_.pop_back();
  return p;
}

void Database::release(Pooled p) {
  p.last_used = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(p));
  }
  cv_.notify_one();
}

void Database::revalidate(Pooled& p) {
  constexpr auto kTrustIdleFor = std::chrono::milliseconds(250);
  bool suspect = p.generation < generation_ || std::chrono::steady_clock::now() - p.last_used > kTrustIdleFor ||
                 (p.session && dialect_ == Dialect::postgresql && ended_by_server(*p.session));
  if (p.session && dialect_ == Dialect::postgresql && suspect) {
    try {
      *p.session << "SELECT 1";
    } catch (const soci::soci_error& e) {
      spdlog::info("database session gone while idle ({}); reconnecting", log::redact_sql_error(e.what()));
      drop(p.session);
    }
  }
  if (!p.session) {
    p.generation = generation_;
    p.session = connect();
  }
}

void Database::run(const std::function<void(soci::session&)>& fn, Mode mode) {
  auto pooled = acquire();
  try {
    revalidate(pooled);
  } catch (...) {
    drop(pooled.session);
    release(std::move(pooled));
    throw;
  }
  auto& s = pooled.session;
  bool in_tx = false;
  try {
    if (mode == Mode::write) {
      *s << (dialect_ == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
      in_tx = true;
    } else if (mode == Mode::read && dialect_ == Dialect::sqlite) {
      *s << "BEGIN";
      in_tx = true;
    }
    fn(*s);
    if (in_tx) {
      in_tx = false;
      *s << "COMMIT";
    }
    release(std::move(pooled));
  } catch (const soci::soci_error& e) {
    auto failure = classify(e);
    if (in_tx) {
      try {
        *s << "ROLLBACK";
      } catch (const soci::soci_error&) {
        failure = Failure::connection;
      }
    }
    if (failure == Failure::connection) {
      drop(s);
      ++generation_;
    }
    release(std::move(pooled));
    switch (failure) {
      case Failure::connection:
        spdlog::error("database connection lost: {}", log::redact_sql_error(e.what()));
        throw Error(ErrorCode::unavailable, "Database unavailable.");
      case Failure::busy:
        throw Error(ErrorCode::unavailable, "Database busy; try again.");
      case Failure::unique:
        throw Error(ErrorCode::conflict, "A resource with these values already exists.");
      case Failure::other:
        throw std::runtime_error("database error: " + log::redact_sql_error(e.what()));
    }
  } catch (...) {
    // Not a database failure (a rule, a bug): undo and let it propagate.
    if (in_tx) {
      try {
        *s << "ROLLBACK";
      } catch (const soci::soci_error& e) {
        spdlog::warn("rollback failed: {}", log::redact_sql_error(e.what()));
        drop(s);
      }
    }
    release(std::move(pooled));
    throw;
  }
}

bool Database::ping() {
  try {
    with([](soci::session& s) {
      int one = 0;
      s << "SELECT 1", soci::into(one);
    });
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace wp::db
