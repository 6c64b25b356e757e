// Migration 0018 moves party_reports (0004) into content_reports: rows made
// with the old schema come over, on SQLite and, with WP_PG_URL, PostgreSQL
// (a database of its own, dropped after).
#include <gtest/gtest.h>

#include <soci/soci.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "modules/moderation/store.hpp"

namespace {

using namespace wp;

constexpr int kModerationVersion = 18;

std::vector<db::Migration> before_moderation(db::Dialect d) {
  std::vector<db::Migration> out;
  for (auto& m : db::migrations_for(d))
    if (m.version < kModerationVersion) out.push_back(m);
  return out;
}

void old_rows(soci::session& s, const std::string& host, const std::string& guest, const std::string& party) {
  s << "INSERT INTO users (id, username, username_key, email, email_key, password_hash, date_joined) VALUES "
       "(:a, 'host', 'host', 'h@x.org', 'h@x.org', '!', 1), (:b, 'guest', 'guest', 'g@x.org', 'g@x.org', '!', 1)",
      soci::use(host), soci::use(guest);
  s << "INSERT INTO watch_parties (id, host_id, title, status, room_code, visibility, max_participants, created_at, "
       "updated_at) VALUES (:p, :h, 'Movie night', 'live', 'ROOM01', 'public', 10, 1, 1)",
      soci::use(party), soci::use(host);
  // Two open reports by one guest (the old route allowed it), one abuse, one inappropriate.
  s << "INSERT INTO party_reports (id, party_id, reporter_id, reason, description, status, created_at) VALUES "
       "('r1', :p1, :g1, 'abuse', 'shouting', 'open', 100), ('r2', :p2, :g2, 'inappropriate', '', 'open', 200), "
       "('r3', :p3, :h, 'spam', 'ads', 'open', 300)",
      soci::use(party), soci::use(guest), soci::use(party), soci::use(guest), soci::use(party), soci::use(host);
}

void check_migrated(db::Database& db, const std::string& host, const std::string& guest, const std::string& party) {
  moderation::Store store(db);
  auto r1 = store.report("r1");
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->content_type, ContentType::party);
  EXPECT_EQ(r1->object_id, party);
  EXPECT_EQ(r1->reporter_id, guest);
  EXPECT_EQ(r1->owner_id, host);
  EXPECT_EQ(r1->report_type, moderation::ReportType::harassment);
  EXPECT_EQ(r1->description, "shouting");
  EXPECT_EQ(r1->status, moderation::ReportStatus::open);
  EXPECT_EQ(r1->created_at, 100);
  auto r2 = store.report("r2");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->report_type, moderation::ReportType::other);
  EXPECT_EQ(r2->status, moderation::ReportStatus::dismissed);  // the guest's second open report
  EXPECT_NE(r2->admin_notes.find("inappropriate"), std::string::npos);
  auto r3 = store.report("r3");
  ASSERT_TRUE(r3);
  EXPECT_EQ(r3->report_type, moderation::ReportType::spam);
  EXPECT_EQ(r3->status, moderation::ReportStatus::open);
  EXPECT_EQ(store.open_reports_of(ContentType::party, party).size(), 2u);
  db.with([](soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM schema_migrations WHERE version = 18", soci::into(n);
    EXPECT_EQ(n, 1);
  });
}

void migrate_old_rows(Config config) {
  auto host = new_uuid(), guest = new_uuid(), party = new_uuid();
  db::Database db(config);
  db::apply_migrations(db, before_moderation(db.dialect()));
  db.with([&](soci::session& s) { old_rows(s, host, guest, party); });
  auto applied = db::apply_migrations(db);
  ASSERT_FALSE(applied.empty());
  EXPECT_EQ(applied.front().substr(0, 4), "0018");
  check_migrated(db, host, guest, party);
}

TEST(ModerationMigration, PartyReportsMoveIntoContentReportsOnSqlite) {
  Config config;
  config.data_dir = (std::filesystem::temp_directory_path() / ("wp_mig_" + new_uuid())).string();
  std::filesystem::create_directories(config.data_dir);
  migrate_old_rows(config);
  std::filesystem::remove_all(config.data_dir);
}

TEST(ModerationMigration, PartyReportsMoveIntoContentReportsOnPostgresql) {
  const char* url = std::getenv("WP_PG_URL");
  if (!url || !*url) GTEST_SKIP() << "WP_PG_URL is not set";
  std::string base = url;
  std::string name = "wp_mig_" + new_uuid().substr(0, 8);
  Config admin;
  admin.database_url = base;
  {
    db::Database db(admin);
    db.with([&](soci::session& s) { s << "CREATE DATABASE " + name; });
  }
  Config config;
  config.database_url = base.substr(0, base.rfind('/') + 1) + name;
  migrate_old_rows(config);
  db::Database db(admin);
  db.with([&](soci::session& s) { s << "DROP DATABASE IF EXISTS " + name; });
}

}  // namespace
