#pragma once
// A real SQLite database in a temporary data dir, with every migration
// applied, for tests of services and stores. Removed again on destruction.
#include <filesystem>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"

namespace wp::testkit {

// Test settings: cheap password hashing, a data dir of its own.
inline Config test_config() {
  Config c;
  c.data_dir = (std::filesystem::temp_directory_path() / ("wp_unit_" + new_uuid())).string();
  c.blocking_threads = 2;
  c.password_hash_cost = "min";
  return c;
}

struct TempDatabase {
  Config config = test_config();
  std::unique_ptr<db::Database> db;

  TempDatabase() {
    std::filesystem::create_directories(config.data_dir);
    db = std::make_unique<db::Database>(config);
    db::apply_migrations(*db);
  }
  ~TempDatabase() {
    db.reset();
    std::error_code ec;
    std::filesystem::remove_all(config.data_dir, ec);
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;
};

}  // namespace wp::testkit

#include <soci/soci.h>

#include "core/clock.hpp"
#include "core/principal.hpp"

namespace wp::testkit {

// A user row (no profile, unusable password) for services that only need someone to act.
inline Principal insert_user(db::Database& db, const std::string& username, bool staff = false) {
  Principal p{new_uuid(), username, staff, false, new_uuid()};
  long long now = now_ms();
  int is_staff = staff;
  std::string email = username + "@example.com", hash = "!";
  db.with([&](soci::session& s) {
    s << "INSERT INTO users (id, username, username_key, email, email_key, password_hash, is_staff, date_joined) "
         "VALUES (:id, :u, :uk, :e, :ek, :h, :st, :d)",
        soci::use(p.id), soci::use(username), soci::use(username), soci::use(email), soci::use(email), soci::use(hash),
        soci::use(is_staff), soci::use(now);
  });
  return p;
}

}  // namespace wp::testkit
