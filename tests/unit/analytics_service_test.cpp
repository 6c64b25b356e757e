// Analytics: the batch rules, address truncation, the monthly partitions,
// the bounded queue, and the service on a real SQLite database.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/rate_limiter.hpp"
#include "modules/analytics/ingest.hpp"
#include "modules/analytics/partitions.hpp"
#include "modules/analytics/queue.hpp"
#include "modules/analytics/service.hpp"
#include "support/temp_db.hpp"

namespace wp::analytics {
namespace {

namespace json = boost::json;

json::object good_event() {
  return {{"event_type", "video_play"},
          {"event_name", "play pressed"},
          {"session_id", "s-1"},
          {"client_timestamp", "2026-12-05T10:00:00.000Z"},
          {"event_data", json::object{{"position", 12.5}}}};
}

Origin origin() { return {std::string("u-1"), "203.0.113.7", "test-agent", 1'000}; }

TEST(AnalyticsBatch, KeepsTheGoodEventsAndReportsTheBadOnesByIndex) {
  json::array events;
  events.push_back(good_event());
  auto bad_type = good_event();
  bad_type["event_type"] = "video_teleport";
  events.push_back(bad_type);
  events.push_back(json::string("not an object"));
  auto no_session = good_event();
  no_session.erase("session_id");
  no_session["video_id"] = "not-a-uuid";
  events.push_back(no_session);
  events.push_back(good_event());

  auto batch = check_batch(events, origin(), Settings{});
  ASSERT_EQ(batch.rows.size(), 2u);
  ASSERT_EQ(batch.rejects.size(), 3u);
  EXPECT_EQ(batch.rejects[0].index, 1u);
  EXPECT_EQ(batch.rejects[0].errors.at(0).first, "event_type");
  EXPECT_EQ(batch.rejects[1].index, 2u);
  EXPECT_EQ(batch.rejects[1].errors.at(0).first, "event");
  EXPECT_EQ(batch.rejects[2].index, 3u);
  std::set<std::string> fields;
  for (auto& [field, message] : batch.rejects[2].errors) fields.insert(field);
  EXPECT_EQ(fields, (std::set<std::string>{"session_id", "video_id"}));

  auto& row = batch.rows[0];
  EXPECT_EQ(row.event_type, "video_play");
  EXPECT_EQ(row.source, Source::client);
  EXPECT_EQ(row.user_id, "u-1");
  EXPECT_EQ(row.ip_address, "203.0.113.7");
  EXPECT_EQ(row.user_agent, "test-agent");
  EXPECT_EQ(row.timestamp, 1'000);
  EXPECT_EQ(row.client_timestamp, parse_rfc3339("2026-12-05T10:00:00.000Z"));
  EXPECT_EQ(json::parse(row.event_data), json::parse(R"({"position":12.5})"));
  EXPECT_NE(batch.rows[0].id, batch.rows[1].id);
}

TEST(AnalyticsBatch, EventDataIsLimitedInSize) {
  Settings s;
  s.max_event_data_bytes = 32;
  auto big = good_event();
  big["event_data"] = json::object{{"text", std::string(40, 'x')}};
  json::array events{big, good_event()};
  auto batch = check_batch(events, origin(), s);
  ASSERT_EQ(batch.rejects.size(), 1u);
  EXPECT_EQ(batch.rejects[0].index, 0u);
  EXPECT_EQ(batch.rejects[0].errors.at(0).first, "event_data");
  EXPECT_EQ(batch.rows.size(), 1u);
}

TEST(AnalyticsBatch, ClientTimestampMustBeATime) {
  auto e = good_event();
  e["client_timestamp"] = "yesterday";
  auto batch = check_batch(json::array{e}, origin(), Settings{});
  ASSERT_EQ(batch.rejects.size(), 1u);
  EXPECT_EQ(batch.rejects[0].errors.at(0).first, "client_timestamp");
}

TEST(AnalyticsIp, TruncatesBothFamilies) {
  EXPECT_EQ(truncate_ip("203.0.113.77"), "203.0.113.0");
  EXPECT_EQ(truncate_ip("2001:db8:abcd:12:1:2:3:4"), "2001:db8:abcd::");
  EXPECT_EQ(truncate_ip("::ffff:198.51.100.9"), "198.51.100.0");
  EXPECT_EQ(truncate_ip("garbage"), "");
}

TEST(AnalyticsPartitions, MonthsAndNames) {
  // 2026-12-05T10:00:00Z
  auto t = *parse_rfc3339("2026-12-05T10:00:00Z");
  EXPECT_EQ(month_of(t), (Month{2026, 12}));
  EXPECT_EQ(next_month({2026, 12}), (Month{2027, 1}));
  EXPECT_EQ(month_start_ms({2027, 1}), *parse_rfc3339("2027-01-01T00:00:00Z"));
  EXPECT_EQ(month_start_ms({2024, 3}), *parse_rfc3339("2024-03-01T00:00:00Z"));  // after a leap February
  EXPECT_EQ(month_of(*parse_rfc3339("2024-02-29T23:59:59.999Z")), (Month{2024, 2}));
  EXPECT_EQ(partition_name({2027, 1}), "analytics_events_p202701");
  EXPECT_EQ(month_of_partition("analytics_events_p202701"), (Month{2027, 1}));
  EXPECT_FALSE(month_of_partition("analytics_events_p202713"));
  EXPECT_FALSE(month_of_partition("analytics_events_default"));
  EXPECT_EQ(day_start_ms(t), *parse_rfc3339("2026-12-05T00:00:00Z"));
}

TEST(AnalyticsPartitions, PlanMakesAheadAndDropsPastTheRetention) {
  auto now = *parse_rfc3339("2026-12-05T10:00:00Z");
  // 60 days back is 2026-10-06: September ended before it, October did not.
  auto plan = plan_partitions(now, 2, 60,
                              {"analytics_events_p202608", "analytics_events_p202609", "analytics_events_p202610",
                               "analytics_events_p202612", "analytics_events_other"});
  EXPECT_EQ(plan.create, (std::vector<Month>{{2027, 1}, {2027, 2}}));
  EXPECT_EQ(plan.drop, (std::vector<std::string>{"analytics_events_p202608", "analytics_events_p202609"}));
}

TEST(AnalyticsQueue, NeverGrowsPastItsCapacityAndCountsTheDropped) {
  EventQueue q(3);
  for (int i = 0; i < 5; ++i) q.push(EventRow{});
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.accepted(), 3u);
  EXPECT_EQ(q.dropped(), 2u);
  EXPECT_EQ(q.take(2).size(), 2u);
  EXPECT_EQ(q.take(10).size(), 1u);
  EXPECT_TRUE(q.push(EventRow{}));
}

struct AnalyticsServiceTest : ::testing::Test {
  testkit::TempDatabase tdb;
  Store store{*tdb.db};
  MemoryRateLimiter limiter;
  Settings settings = [] {
    Settings s;
    s.anonymous_limit = 2;
    s.queue_capacity = 250;
    s.write_batch = 100;
    return s;
  }();
  AnalyticsService svc{store, limiter, settings};

  long long count(const std::string& where = "1 = 1") {
    return tdb.db->with([&](soci::session& s) {
      long long n = 0;
      s << "SELECT COUNT(*) FROM analytics_events WHERE " + where, soci::into(n);
      return n;
    });
  }
};

TEST_F(AnalyticsServiceTest, IngestWritesEveryGoodEventBeforeAnswering) {
  auto user = tdb.add_user("ann");
  json::array events;
  for (int i = 0; i < 250; ++i) events.push_back(i % 50 == 7 ? json::value("bad") : json::value(good_event()));
  auto batch = svc.ingest(&user, {"198.51.100.4", "ua"}, events);
  EXPECT_EQ(batch.rows.size(), 245u);
  EXPECT_EQ(batch.rejects.size(), 5u);
  EXPECT_EQ(count(), 245);
  EXPECT_EQ(count("user_id = '" + user.id + "' AND source = 'client' AND ip_address = '198.51.100.4'"), 245);
}

TEST_F(AnalyticsServiceTest, ABatchIsAtMost500Events) {
  json::array events;
  for (int i = 0; i < 501; ++i) events.push_back(good_event());
  auto user = tdb.add_user("bob");
  try {
    svc.ingest(&user, {"198.51.100.4", "ua"}, events);
    FAIL() << "501 events accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation);
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(AnalyticsServiceTest, AnonymousSendersAreLimitedPerAddress) {
  json::array events{good_event()};
  svc.ingest(nullptr, {"192.0.2.1", "ua"}, events);
  svc.ingest(nullptr, {"192.0.2.1", "ua"}, events);
  try {
    svc.ingest(nullptr, {"192.0.2.1", "ua"}, events);
    FAIL() << "a third batch in the minute accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::rate_limited);
    EXPECT_TRUE(e.retry_after());
  }
  svc.ingest(nullptr, {"192.0.2.2", "ua"}, events);  // another address
  auto user = tdb.add_user("cy");
  svc.ingest(&user, {"192.0.2.1", "ua"}, events);  // a logged-in sender from the same address
  EXPECT_EQ(count("user_id IS NULL"), 3);
  EXPECT_EQ(count(), 4);
}

TEST_F(AnalyticsServiceTest, DomainEventsAreQueuedThenWrittenInBatchesAndOverflowIsCounted) {
  for (int i = 0; i < 300; ++i)
    svc.record({.type = "watch.progress", .user_id = "u", .video_id = "v", .party_id = "", .amount = 7});
  EXPECT_EQ(svc.queue().size(), 250u);
  EXPECT_EQ(svc.queue().dropped(), 50u);
  EXPECT_EQ(svc.flush(), 100u);
  EXPECT_EQ(svc.flush(), 100u);
  EXPECT_EQ(svc.flush(), 50u);
  EXPECT_EQ(svc.flush(), 0u);
  EXPECT_EQ(svc.written(), 250u);
  EXPECT_EQ(count("source = 'server' AND event_type = 'watch.progress' AND amount = 7 AND party_id IS NULL"), 250);
}

TEST_F(AnalyticsServiceTest, RetentionDeletesOldRowsOnSqlite) {
  svc.record({.type = "party.joined", .user_id = "u", .at = std::chrono::system_clock::now() - std::chrono::hours(24 * 400)});
  svc.record({.type = "party.joined", .user_id = "u"});
  svc.flush();
  svc.maintain(now_ms());  // retention 395 days
  EXPECT_EQ(count(), 1);
}

}  // namespace
}  // namespace wp::analytics
