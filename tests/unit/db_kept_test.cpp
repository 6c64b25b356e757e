// db::KeptSelect (db/kept.hpp): a SELECT kept prepared on each pooled
// session. On a temporary SQLite file, and PostgreSQL too when WP_PG_URL
// names one (a TEMP table: nothing is left behind). One pooled session, so
// that every call meets the same one.
#include <gtest/gtest.h>

#include <soci/soci.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/ids.hpp"
#include "db/kept.hpp"
#include "db/soci_optional.hpp"

namespace {

struct Item {
  std::string name;
  int qty = 0;
};

const wp::db::Columns<Item> kItem{{"name", &Item::name}, {"qty", &Item::qty}};

void on_each_database(const std::function<void(wp::db::Database&)>& fn) {
  std::vector<wp::Config> configs(1);
  configs[0].data_dir = (std::filesystem::temp_directory_path() / ("wp_kept_" + wp::new_uuid())).string();
  if (const char* pg = std::getenv("WP_PG_URL"); pg && *pg) configs.emplace_back().database_url = pg;
  for (auto& config : configs) {
    SCOPED_TRACE(config.database_url.empty() ? "sqlite" : "postgresql");
    config.db_pool_size = 1;
    {
      wp::db::Database db(config);
      db.with([](soci::session& s) { s << "CREATE TEMP TABLE item (name TEXT NOT NULL, qty INTEGER NOT NULL)"; });
      fn(db);
    }
    if (config.database_url.empty()) std::filesystem::remove_all(config.data_dir);
  }
}

long long prepared_statements(wp::db::Database& db) {
  long long n = 0;
  db.with([&](soci::session& s) { s << "SELECT COUNT(*) FROM pg_prepared_statements", soci::into(n); });
  return n;
}

TEST(KeptSelect, AnswersEachRunWithItsParametersAndTheRowsOfNow) {
  on_each_database([](wp::db::Database& db) {
    wp::db::KeptSelect<Item, std::string> by_name(db, kItem, "FROM item WHERE name = :n ORDER BY qty");
    auto run = [&](const std::string& name) { return db.with([&](soci::session& s) { return by_name.rows(s, name); }); };
    EXPECT_TRUE(run("a").empty());
    db.with([](soci::session& s) { s << "INSERT INTO item (name, qty) VALUES ('a', 1), ('a', 2), ('b', 7)"; });
    auto a = run("a");
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0].qty, 1);
    EXPECT_EQ(a[1].qty, 2);
    auto b = db.with([&](soci::session& s) { return by_name.one(s, "b"); });
    ASSERT_TRUE(b);
    EXPECT_EQ(b->qty, 7);
    db.with([](soci::session& s) { s << "UPDATE item SET qty = 9 WHERE name = 'b'"; });
    EXPECT_EQ(run("b").at(0).qty, 9) << "not a cached answer";
    EXPECT_FALSE(db.with([&](soci::session& s) { return by_name.one(s, "c"); }));
  });
}

TEST(KeptSelect, IsPreparedOncePerSessionOnPostgreSQL) {
  on_each_database([](wp::db::Database& db) {
    if (db.dialect() != wp::db::Dialect::postgresql) return;
    auto before = prepared_statements(db);
    wp::db::KeptSelect<Item, std::string> by_name(db, kItem, "FROM item WHERE name = :n");
    for (int i = 0; i < 20; ++i) db.with([&](soci::session& s) { by_name.rows(s, std::to_string(i)); });
    EXPECT_EQ(prepared_statements(db), before + 1);
  });
}

TEST(KeptSelect, AFailedRunIsPreparedAgainAndWorks) {
  on_each_database([](wp::db::Database& db) {
    if (db.dialect() != wp::db::Dialect::postgresql) return;  // SQLite casts what it cannot convert to 0
    wp::db::KeptSelect<Item, std::string> by_qty(db, kItem, "FROM item WHERE qty = CAST(:q AS INTEGER)");
    db.with([](soci::session& s) { s << "INSERT INTO item (name, qty) VALUES ('a', 3)"; });
    auto run = [&](const std::string& q) { return db.with([&](soci::session& s) { return by_qty.rows(s, q); }); };
    EXPECT_EQ(run("3").size(), 1u);
    EXPECT_ANY_THROW(run("not a number"));
    EXPECT_EQ(run("3").size(), 1u);
  });
}

TEST(KeptWrite, WritesWithEachRunsParametersAndCountsTheRowsItChanged) {
  on_each_database([](wp::db::Database& db) {
    auto before = db.dialect() == wp::db::Dialect::postgresql ? prepared_statements(db) : 0;
    wp::db::KeptWrite<std::string, int> add(db, "INSERT INTO item (name, qty) VALUES (:n, :q)");
    wp::db::KeptWrite<int, std::string> set(db, "UPDATE item SET qty = :q WHERE name = :n");
    wp::db::KeptSelect<Item, std::string> by_name(db, kItem, "FROM item WHERE name = :n ORDER BY qty");
    db.with([&](soci::session& s) {
      EXPECT_EQ(add.run(s, "a", 1), 1);
      EXPECT_EQ(add.run(s, "a", 2), 1);
      EXPECT_EQ(add.run(s, "b", 5), 1);
      EXPECT_EQ(set.run(s, 9, "a"), 2);
      EXPECT_EQ(set.run(s, 9, "nobody"), 0);
      auto a = by_name.rows(s, "a");
      ASSERT_EQ(a.size(), 2u);
      EXPECT_EQ(a[0].qty, 9);
      EXPECT_EQ(by_name.one(s, "b")->qty, 5);
    });
    if (db.dialect() == wp::db::Dialect::postgresql) {
      EXPECT_EQ(prepared_statements(db), before + 3);
    }
  });
}

TEST(KeptWrite, AFailedRunIsPreparedAgainAndWorks) {
  on_each_database([](wp::db::Database& db) {
    wp::db::KeptWrite<std::optional<std::string>, int> add(db, "INSERT INTO item (name, qty) VALUES (:n, :q)");
    db.with([&](soci::session& s) {
      EXPECT_ANY_THROW(add.run(s, std::nullopt, 1));  // NOT NULL
      EXPECT_EQ(add.run(s, std::string("c"), 2), 1);
    });
    EXPECT_EQ(db.with([](soci::session& s) {
      long long n = 0;
      s << "SELECT COUNT(*) FROM item WHERE name = 'c'", soci::into(n);
      return n;
    }), 1);
  });
}

// On SQLite a kept statement left stepped would pin its connection to the snapshot of its first
// step: a write committed on another connection would stay unseen. Two pooled sessions, a file
// table (TEMP tables are per connection), and a read that throws midway (NULL on its second row
// into a field that takes none).
TEST(KeptSelect, OnSQLiteEachRunSeesWhatOtherConnectionsCommitted) {
  wp::Config config;
  config.data_dir = (std::filesystem::temp_directory_path() / ("wp_kept_" + wp::new_uuid())).string();
  config.db_pool_size = 2;
  {
    wp::db::Database db(config);
    db.with([](soci::session& s) { s << "CREATE TABLE item (name TEXT NOT NULL, qty INTEGER NOT NULL)"; });
    const wp::db::Columns<Item> null_at_two{{"CASE WHEN qty = 2 THEN NULL ELSE name END", &Item::name},
                                            {"qty", &Item::qty}};
    wp::db::KeptSelect<Item> all(db, kItem, "FROM item ORDER BY qty");
    wp::db::KeptSelect<Item> failing(db, null_at_two, "FROM item ORDER BY qty");
    db.with([&](soci::session& reader) {
      auto write = [&](const std::string& sql) {
        db.with([&](soci::session& writer) {
          EXPECT_NE(&writer, &reader);
          writer << sql;
        });
      };
      write("INSERT INTO item (name, qty) VALUES ('a', 1), ('b', 2), ('c', 3)");
      EXPECT_EQ(all.rows(reader).size(), 3u);
      write("INSERT INTO item (name, qty) VALUES ('d', 4)");
      EXPECT_EQ(all.rows(reader).size(), 4u) << "a kept statement held an old snapshot";
      EXPECT_ANY_THROW(failing.rows(reader));
      write("INSERT INTO item (name, qty) VALUES ('e', 5)");
      EXPECT_EQ(all.rows(reader).size(), 5u) << "the statement that threw was left on its row";
      write("DELETE FROM item WHERE qty = 2");
      EXPECT_EQ(failing.rows(reader).size(), 4u) << "prepared again after it threw";
    });
  }
  std::filesystem::remove_all(config.data_dir);
}

}  // namespace
