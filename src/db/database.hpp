#pragma once
// A bounded pool of SOCI sessions on SQLite or PostgreSQL. Only store code
// and the migration runner use it, and only from blocking-pool threads.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace soci {
class session;
}

namespace wp {
struct Config;
}

namespace wp::db {

enum class Dialect { sqlite, postgresql };

// postgresql://user:pass@host:port/db?opt=v -> "dbname=db user=user ..." for SOCI.
std::string postgres_connect_string(const std::string& url);

class Database {
 public:
  explicit Database(const Config& config);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return dialect_; }
  const std::string& description() const { return description_; }

  // Borrow a session for fn. Database failures become wp::Error: lost
  // connection or a locked database -> unavailable (503), a unique
  // violation -> conflict (409); anything else propagates as a bug.
  template <class F>
  auto with(F&& fn) {
    return invoke(std::forward<F>(fn), Mode::plain);
  }
  // Same, inside one transaction (SQLite: BEGIN IMMEDIATE), committed when
  // fn returns and rolled back when it throws.
  template <class F>
  auto tx(F&& fn) {
    return invoke(std::forward<F>(fn), Mode::write);
  }
  // Reads only, seeing one snapshot: on SQLite one deferred transaction, so
  // that several reads take the WAL's read lock once instead of each; on
  // PostgreSQL as with() (BEGIN and COMMIT there would be two more round trips).
  template <class F>
  auto read(F&& fn) {
    return invoke(std::forward<F>(fn), Mode::read);
  }

  // A statement kept prepared on one pooled session, with the variables it
  // is bound to (db/kept.hpp). It lives as long as its session.
  struct Kept {
    virtual ~Kept() = default;
  };
  // A key for kept(): one per kind of kept statement, for the life of the process.
  static std::uint64_t new_kept_key();
  // The statement `key` keeps on session s, made by make on first use. s is
  // a session borrowed through with/tx, and the result is used only inside it.
  Kept& kept(soci::session& s, std::uint64_t key, const std::function<std::unique_ptr<Kept>(soci::session&)>& make);
  // Drops it (after it failed): it is made again on next use.
  void forget_kept(soci::session& s, std::uint64_t key);

  // True when a trivial query succeeds.
  bool ping();
  // Sessions in the pool, and how many are borrowed now (system health).
  std::size_t pool_size() const { return pool_size_; }
  std::size_t in_use();

 private:
  enum class Mode { plain, write, read };
  template <class F>
  auto invoke(F&& fn, Mode mode) {
    using R = std::invoke_result_t<F, soci::session&>;
    if constexpr (std::is_void_v<R>) {
      run([&](soci::session& s) { fn(s); }, mode);
    } else {
      std::optional<R> out;
      run([&](soci::session& s) { out.emplace(fn(s)); }, mode);
      return std::move(*out);
    }
  }
  void run(const std::function<void(soci::session&)>& fn, Mode mode);
  // A pooled session (null when it must be opened again), with what tells
  // whether it may have gone stale.
  struct Pooled {
    std::unique_ptr<soci::session> session;
    std::chrono::steady_clock::time_point last_used;
    std::uint64_t generation = 0;
  };
  std::unique_ptr<soci::session> connect();
  // Closes a pooled session, its kept statements first.
  void drop(std::unique_ptr<soci::session>& session);
  Pooled acquire();
  void release(Pooled p);
  // A server may have dropped an idle session (restart, failover) without
  // the client noticing: check it before use, reconnect if it is gone.
  void revalidate(Pooled& p);

  Dialect dialect_;
  std::string connect_string_;
  std::string description_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pooled> idle_;
  // Bumped at every lost connection: sessions opened before are checked before use.
  std::atomic<std::uint64_t> generation_{0};
  std::chrono::milliseconds acquire_timeout_{5000};
  std::size_t pool_size_ = 0;
  // After idle_: destroyed first, while their sessions are still open.
  std::mutex kept_mu_;
  std::unordered_map<soci::session*, std::unordered_map<std::uint64_t, std::unique_ptr<Kept>>> kept_;
};

}  // namespace wp::db
