#pragma once
// A real SQLite database in a temporary data dir, with every migration
// applied, for tests of services and stores. Removed again on destruction.
#include <soci/soci.h>
#include <sodium.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/ids.hpp"
#include "core/principal.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"

namespace wp::testkit {

// Test settings: cheap password hashing, a data dir of its own.
inline Config test_config() {
  Config c;
  c.data_dir = (std::filesystem::temp_directory_path() / ("wp_unit_" + new_uuid())).string();
  c.blocking_threads = 4;
  c.password_hash_cost = "min";
  return c;
}

struct TempDatabase {
  Config config = test_config();
  std::unique_ptr<db::Database> db;

  TempDatabase() {
    // As app.cpp does: ids, tokens and room codes come from libsodium, from several threads.
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
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

  // A user row (no password that works, no profile), as the Principal acting for it.
  Principal add_user(const std::string& username, bool staff = false) {
    Principal p{new_uuid(), username, staff, false, new_uuid()};
    long long now = now_ms();
    int is_staff = staff;
    std::string email = username + "@example.com";  // named: SOCI binds by reference
    db->with([&](soci::session& s) {
      s << "INSERT INTO users (id, username, username_key, email, email_key, password_hash, is_staff, date_joined) "
           "VALUES (:id, :u, :uk, :e, :ek, '!', :st, :d)",
          soci::use(p.id), soci::use(p.username), soci::use(p.username), soci::use(email), soci::use(email),
          soci::use(is_staff), soci::use(now);
    });
    return p;
  }
};

}  // namespace wp::testkit
