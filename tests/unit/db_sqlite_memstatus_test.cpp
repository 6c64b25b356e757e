// SQLite's allocation statistics are off (db/database.cpp): they count every allocation under one
// process-wide mutex, which a pool of threads running statements contended for. With them off,
// SQLite's own report of the memory it uses stays at zero however much it allocates.
#include <gtest/gtest.h>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>

#include "core/config.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

TEST(SqliteSettings, AllocationStatisticsAreOffOnceADatabaseIsOpen) {
  wp::Config config;
  config.data_dir = (std::filesystem::temp_directory_path() / ("wp_memstatus_" + wp::new_uuid())).string();
  config.db_pool_size = 2;
  {
    wp::db::Database db(config);
    db.with([](soci::session& s) {
      s << "CREATE TEMP TABLE t (v TEXT)";
      // Enough rows and text that a counted heap would show megabytes.
      s << "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
           "INSERT INTO t SELECT printf('%0200d', i) FROM n";
      long long count = 0;
      s << "SELECT COUNT(DISTINCT v) FROM t", soci::into(count);
      EXPECT_EQ(count, 20000);
    });
    EXPECT_EQ(sqlite_api::sqlite3_memory_used(), 0);
    EXPECT_EQ(sqlite_api::sqlite3_memory_highwater(0), 0);
  }
  std::filesystem::remove_all(config.data_dir);
}
