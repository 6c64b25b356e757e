// Analytics: which database each access uses when the reads have a replica
// (`analytics_database_url`): the writes and the rollup on the primary, every
// read view on the replica. Two real SQLite databases stand for the two
// servers and hold different numbers, so a read shows where it was served.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/domain_events.hpp"
#include "core/rate_limiter.hpp"
#include "modules/analytics/csv.hpp"
#include "modules/analytics/service.hpp"
#include "support/temp_db.hpp"

namespace wp::analytics {
namespace {

namespace json = boost::json;

const std::int64_t kBase = *parse_rfc3339("2026-12-01T00:00:00Z");
constexpr std::int64_t kMinute = 60'000, kDay = 86'400'000;

EventRow server_event(const std::string& type, const std::string& user, const std::string& video = "",
                      const std::string& party = "") {
  EventRow r;
  r.id = new_uuid();
  r.event_type = r.event_name = type;
  r.source = Source::server;
  r.user_id = user;
  if (!video.empty()) r.video_id = video;
  if (!party.empty()) r.party_id = party;
  r.timestamp = kBase + 10 * kMinute;
  return r;
}

// `viewers` users sign up, view v1 and join p1 (hosted by u0).
std::vector<EventRow> activity(int viewers) {
  std::vector<EventRow> rows;
  for (int i = 0; i < viewers; ++i) {
    auto user = "u" + std::to_string(i);
    rows.push_back(server_event("user.registered", user));
    rows.push_back(server_event("video.viewed", user, "v1"));
    rows.push_back(server_event("party.joined", user, "", "p1"));
  }
  return rows;
}

long long count(db::Database& db, const std::string& table) {
  return db.with([&](soci::session& s) {
    long long n = 0;
    s << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return n;
  });
}

struct AnalyticsReadsTest : ::testing::Test {
  testkit::TempDatabase primary, replica;
  MemoryRateLimiter limiter;
  Store store{*primary.db, replica.db.get()};
  AnalyticsService svc{store, limiter, Settings{}};
  const Principal staff{.id = "staff", .is_staff = true};
  const Range today{Granularity::day, kBase, kBase + kDay};

  void SetUp() override { svc.set_hooks(hooks()); }
  static Hooks hooks() {
    Hooks h;
    h.video_owner = [](const std::string&) { return std::optional<std::string>("u0"); };
    h.party_host = [](const std::string&) { return std::optional<std::string>("u0"); };
    return h;
  }
  // The rollups of `viewers` on a database, as the primary's would be after replay.
  void rolled_up(db::Database& db, int viewers) {
    Store s(db);
    AnalyticsService service(s, limiter, Settings{});
    s.insert(activity(viewers));
    service.rollup(kBase + 2 * 60 * kMinute);
  }
};

TEST_F(AnalyticsReadsTest, WritesAndTheRollupGoToThePrimaryOnly) {
  auto user = primary.add_user("ann");
  json::array events;
  events.push_back(json::object{{"event_type", "page_view"},
                                {"event_name", "home"},
                                {"session_id", "s-1"},
                                {"client_timestamp", "2026-12-01T00:10:00Z"}});
  ASSERT_EQ(svc.ingest(&user, {"198.51.100.4", "ua"}, events).rows.size(), 1u);
  svc.record(DomainEvent{.type = "video.viewed", .user_id = user.id, .video_id = "v1"});
  EXPECT_EQ(svc.flush(), 1u);
  store.insert(activity(2));
  svc.rollup(kBase + 2 * 60 * kMinute);

  EXPECT_EQ(count(*primary.db, "analytics_events"), 1 + 1 + 6);
  EXPECT_GT(count(*primary.db, "analytics_video_rollups"), 0);
  EXPECT_TRUE(Store(*primary.db).watermark().has_value());
  for (auto table : {"analytics_events", "analytics_video_rollups", "analytics_party_rollups",
                     "analytics_user_rollups", "analytics_user_signups", "analytics_rollup_state"})
    EXPECT_EQ(count(*replica.db, table), 0) << table;
}

TEST_F(AnalyticsReadsTest, EveryReadViewReadsTheReplica) {
  rolled_up(*primary.db, 2);
  rolled_up(*replica.db, 5);

  EXPECT_EQ(svc.video_report(staff, "v1", today).totals.views, 5);
  EXPECT_EQ(svc.party_report(staff, "p1", today).totals.joins, 5);
  auto all = svc.user_behavior(staff, std::nullopt, today);
  ASSERT_EQ(all.active_users.size(), 1u);
  EXPECT_EQ(all.active_users[0].count, 5);
  EXPECT_EQ(svc.user_behavior(staff, std::string("u4"), today).totals.events, 3);
  auto cohorts = svc.cohorts(staff, 1, kBase + 2 * 60 * kMinute);
  ASSERT_EQ(cohorts.size(), 1u);
  EXPECT_EQ(cohorts[0].size, 5);
  auto forecast = svc.predictive(staff, Metric::daily_active_users, std::nullopt, kBase + 3 * kDay);
  ASSERT_FALSE(forecast.history.empty());
  EXPECT_EQ(forecast.history[0], 5.0);
  EXPECT_EQ(svc.predictive(staff, Metric::video_views, std::string("v1"), kBase + 3 * kDay).history.at(0), 5.0);
  auto csv = svc.export_csv(staff, RollupKind::video, today);
  EXPECT_EQ(csv, to_csv(Store(*replica.db).video_buckets(std::nullopt, Granularity::day, kBase, kBase + kDay)));
  EXPECT_NE(csv, to_csv(Store(*primary.db).video_buckets(std::nullopt, Granularity::day, kBase, kBase + kDay)));
}

TEST_F(AnalyticsReadsTest, WithoutAReplicaTheReadsAreThePrimarys) {
  rolled_up(*primary.db, 2);
  rolled_up(*replica.db, 5);
  Store alone(*primary.db);
  AnalyticsService service(alone, limiter, Settings{});
  service.set_hooks(hooks());
  EXPECT_EQ(service.video_report(staff, "v1", today).totals.views, 2);
  EXPECT_EQ(service.user_behavior(staff, std::nullopt, today).active_users.at(0).count, 2);
}

}  // namespace
}  // namespace wp::analytics
