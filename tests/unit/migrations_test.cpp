#include <gtest/gtest.h>

#include <soci/soci.h>

#include <filesystem>

#include "core/config.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"

namespace {

wp::Config temp_sqlite() {
  wp::Config c;
  c.data_dir = (std::filesystem::temp_directory_path() / ("wp_mig_" + wp::new_uuid())).string();
  c.blocking_threads = 2;
  return c;
}

TEST(MigrationRunner, AppliesEachMigrationOnceInOrder) {
  auto config = temp_sqlite();
  wp::db::Database db(config);
  EXPECT_EQ(wp::db::current_version(db), 0);
  std::vector<wp::db::Migration> set = {{1, "0001_a", "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);"},
                                        {2, "0002_b", "CREATE TABLE b (y TEXT DEFAULT 'p;q');"}};
  auto first = wp::db::apply_migrations(db, set);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0], "0001_a");
  EXPECT_EQ(wp::db::current_version(db), 2);
  EXPECT_TRUE(wp::db::apply_migrations(db, set).empty());
  set.push_back({3, "0003_c", "INSERT INTO a VALUES (2);"});
  EXPECT_EQ(wp::db::apply_migrations(db, set), std::vector<std::string>{"0003_c"});
  int rows = db.with([](soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM a", soci::into(n);
    return n;
  });
  EXPECT_EQ(rows, 2);
  std::filesystem::remove_all(config.data_dir);
}

TEST(MigrationRunner, AFailingMigrationLeavesNothingBehind) {
  auto config = temp_sqlite();
  wp::db::Database db(config);
  std::vector<wp::db::Migration> set = {{1, "0001_ok", "CREATE TABLE ok (x INTEGER);"},
                                        {2, "0002_bad", "CREATE TABLE broken (;"}};
  EXPECT_ANY_THROW(wp::db::apply_migrations(db, set));
  EXPECT_EQ(wp::db::current_version(db), 0);
  set.pop_back();
  EXPECT_EQ(wp::db::apply_migrations(db, set).size(), 1u);
  std::filesystem::remove_all(config.data_dir);
}

TEST(MigrationRunner, RealMigrationsApplyOnSqlite) {
  auto config = temp_sqlite();
  wp::db::Database db(config);
  auto applied = wp::db::apply_migrations(db);
  EXPECT_EQ(wp::db::current_version(db), wp::db::latest_version(wp::db::Dialect::sqlite));
  EXPECT_FALSE(applied.empty());
  EXPECT_TRUE(db.ping());
  std::filesystem::remove_all(config.data_dir);
}

}  // namespace
