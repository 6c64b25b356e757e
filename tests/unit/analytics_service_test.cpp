// Analytics: the batch rules, address truncation, the monthly partitions,
// the bounded queue, and the service on a real SQLite database.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/rate_limiter.hpp"
#include "modules/analytics/cohorts.hpp"
#include "modules/analytics/csv.hpp"
#include "modules/analytics/forecast.hpp"
#include "modules/analytics/ingest.hpp"
#include "modules/analytics/live.hpp"
#include "modules/analytics/retention.hpp"
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

TEST(AnalyticsBatch, ANulCharacterAnywhereIsRefusedByIndex) {
  const std::string nul("a\0b", 3);
  json::array events{good_event()};
  auto in_name = good_event();
  in_name["event_name"] = nul;
  events.push_back(in_name);
  auto in_session = good_event();
  in_session["session_id"] = nul;
  events.push_back(in_session);
  auto in_value = good_event();
  in_value["event_data"] = json::object{{"list", json::array{1, json::object{{"deep", nul}}}}};
  events.push_back(in_value);
  auto in_key = good_event();
  in_key["event_data"] = json::object{{nul, 1}};
  events.push_back(in_key);
  events.push_back(good_event());

  auto batch = check_batch(events, origin(), Settings{});
  EXPECT_EQ(batch.rows.size(), 2u);
  ASSERT_EQ(batch.rejects.size(), 4u);
  const std::pair<std::size_t, const char*> want[] = {
      {1, "event_name"}, {2, "session_id"}, {3, "event_data"}, {4, "event_data"}};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(batch.rejects[i].index, want[i].first);
    ASSERT_EQ(batch.rejects[i].errors.size(), 1u);
    EXPECT_EQ(batch.rejects[i].errors[0].first, want[i].second);
    EXPECT_NE(batch.rejects[i].errors[0].second.find("NUL"), std::string::npos);
  }
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

// ---------------------------------------------------------------- rollups

EventRow server_event(const std::string& type, std::int64_t at, const std::string& user, const std::string& video = "",
                      const std::string& party = "", std::int64_t amount = 1) {
  EventRow r;
  r.id = new_uuid();
  r.event_type = r.event_name = type;
  r.source = Source::server;
  r.user_id = user;
  if (!video.empty()) r.video_id = video;
  if (!party.empty()) r.party_id = party;
  r.amount = amount;
  r.timestamp = at;
  return r;
}

struct AnalyticsRollupTest : AnalyticsServiceTest {
  const std::int64_t base = *parse_rfc3339("2026-12-01T00:00:00Z");
  const std::int64_t minute = 60'000;
  void SetUp() override {
    store.insert({
        server_event("video.viewed", base + 10 * minute, "a", "v1"),
        server_event("video.viewed", base + 11 * minute, "b", "v1"),
        server_event("video.viewed", base + 12 * minute, "a", "v1"),
        server_event("watch.progress", base + 20 * minute, "a", "v1", "", 30),
        server_event("watch.progress", base + 70 * minute, "b", "v1", "p1", 20),
        server_event("video.liked", base + 21 * minute, "b", "v1"),
        server_event("comment.created", base + 22 * minute, "a", "v1"),
        server_event("party.joined", base + 5 * minute, "a", "", "p1"),
        server_event("party.joined", base + 6 * minute, "b", "", "p1"),
        server_event("party.chat_sent", base + 7 * minute, "a", "", "p1"),
        server_event("party.chat_sent", base + 8 * minute, "a", "", "p1"),
        server_event("party.sync_drift", base + 9 * minute, "a", "", "p1", 40),
        server_event("party.sync_drift", base + 9 * minute, "b", "", "p1", 80),
        server_event("party.created", base + 1 * minute, "a", "", "p1"),
    });
  }
  VideoBucket video(Granularity g, std::int64_t bucket) {
    for (auto& b : store.video_buckets(std::string("v1"), g, base, base + 86'400'000))
      if (b.bucket_start == bucket) return b;
    return {};
  }
};

TEST_F(AnalyticsRollupTest, BucketsHoldTheSumsOfTheirEventsAndReRunsChangeNothing) {
  for (int run = 0; run < 2; ++run) {
    svc.rollup(base + 2 * 60 * minute);
    auto h0 = video(Granularity::hour, base), h1 = video(Granularity::hour, base + 60 * minute);
    auto day = video(Granularity::day, base);
    EXPECT_EQ(std::tuple(h0.views, h0.unique_viewers, h0.watch_time, h0.party_watch_time, h0.likes, h0.comments),
              std::tuple(3, 2, 30, 0, 1, 1));
    EXPECT_EQ(std::tuple(h1.views, h1.unique_viewers, h1.watch_time, h1.party_watch_time), std::tuple(0, 1, 20, 20));
    EXPECT_EQ(std::tuple(day.views, day.unique_viewers, day.watch_time, day.party_watch_time), std::tuple(3, 2, 50, 20));
    auto parties = store.party_buckets(std::string("p1"), Granularity::day, base, base + 86'400'000);
    ASSERT_EQ(parties.size(), 1u);
    auto& p = parties[0];
    EXPECT_EQ(std::tuple(p.members, p.joins, p.messages, p.watch_time, p.drift_reports, p.drift_abs_ms_sum,
                         p.drift_abs_ms_max),
              std::tuple(2, 2, 2, 20, 2, 120, 80));
    auto users = store.user_buckets(std::string("a"), Granularity::day, base, base + 86'400'000);
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(std::tuple(users[0].events, users[0].watch_time, users[0].parties_hosted, users[0].parties_joined),
              std::tuple(9, 30, 1, 1));
    EXPECT_EQ(store.active_users(Granularity::day, base, base + 86'400'000).at(0).count, 2);
  }
  EXPECT_EQ(store.watermark(), base + 2 * 60 * minute);
}

TEST_F(AnalyticsRollupTest, ALateEventWithinTheWindowIsCountedOnce) {
  svc.rollup(base + 2 * 60 * minute);
  // Written after the run, stamped 30 minutes before its watermark (the window is an hour).
  store.insert({server_event("video.viewed", base + 90 * minute, "c", "v1")});
  svc.rollup(base + 2 * 60 * minute + 5 * minute);
  svc.rollup(base + 2 * 60 * minute + 10 * minute);
  EXPECT_EQ(video(Granularity::hour, base + 60 * minute).views, 1);
  EXPECT_EQ(video(Granularity::hour, base).views, 3);
  auto day = video(Granularity::day, base);
  EXPECT_EQ(std::tuple(day.views, day.unique_viewers), std::tuple(4, 3));
}

TEST_F(AnalyticsRollupTest, TheFirstRunStartsAtTheFirstEvent) {
  EXPECT_FALSE(store.watermark());
  EXPECT_EQ(svc.rollup(base + 2 * 60 * minute), base + minute);
  EXPECT_EQ(svc.rollup(base + 3 * 60 * minute), base + 2 * 60 * minute - 60 * minute);
}

TEST_F(AnalyticsRollupTest, APartysPresenceIsInItsBucketsAndSummaryAndReRunsChangeNothing) {
  // p2: a from 0:00 to 2:30, b from 0:10 to 0:30 (a quiet hour in between).
  store.insert({server_event("party.connected", base, "a", "", "p2"),
                server_event("party.connected", base + 10 * minute, "b", "", "p2"),
                server_event("party.disconnected", base + 30 * minute, "b", "", "p2"),
                server_event("party.disconnected", base + 150 * minute, "a", "", "p2")});
  for (int run = 0; run < 2; ++run) {
    svc.rollup(base + 3 * 60 * minute);
    auto hours = store.party_buckets(std::string("p2"), Granularity::hour, base, base + 86'400'000);
    ASSERT_EQ(hours.size(), 3u);
    EXPECT_EQ(std::tuple(hours[0].peak_concurrent, hours[0].member_ms, hours[0].live_ms, hours[0].present_at_end),
              std::tuple(2, 80 * minute, 60 * minute, 1));
    EXPECT_EQ(std::tuple(hours[1].peak_concurrent, hours[1].member_ms, hours[1].members), std::tuple(1, 60 * minute, 0));
    EXPECT_EQ(std::tuple(hours[2].member_ms, hours[2].present_at_end), std::tuple(30 * minute, 0));
    auto sum = store.party_summary("p2");
    ASSERT_TRUE(sum);
    EXPECT_EQ(std::tuple(sum->members, sum->peak, sum->member_ms, sum->live_ms, sum->left_early, sum->present_now),
              std::tuple(2, 2, 170 * minute, 150 * minute, 1, 0));
  }
  // A late connection within the window: c from 2:00 to 2:20, counted once.
  store.insert({server_event("party.connected", base + 120 * minute, "c", "", "p2"),
                server_event("party.disconnected", base + 140 * minute, "c", "", "p2")});
  svc.rollup(base + 3 * 60 * minute + minute);
  svc.rollup(base + 3 * 60 * minute + 2 * minute);
  auto sum = store.party_summary("p2");
  EXPECT_EQ(std::tuple(sum->members, sum->member_ms, sum->left_early), std::tuple(3, 190 * minute, 2));
  auto day = store.party_buckets(std::string("p2"), Granularity::day, base, base + 86'400'000);
  ASSERT_EQ(day.size(), 1u);
  EXPECT_EQ(std::tuple(day[0].peak_concurrent, day[0].member_ms), std::tuple(2, 190 * minute));
}

TEST_F(AnalyticsServiceTest, CohortsBySignupWeekAndTheirWeeklyRetention) {
  auto at = [](const char* t) { return *parse_rfc3339(t); };
  // Weeks start on Monday: 16 Nov (A), 23 Nov (B), 30 Nov (this one).
  store.insert({server_event("user.registered", at("2026-11-17T10:00:00Z"), "u1"),
                server_event("user.registered", at("2026-11-18T10:00:00Z"), "u2"),
                server_event("user.registered", at("2026-11-22T23:59:00Z"), "u3"),
                server_event("user.registered", at("2026-11-23T00:01:00Z"), "u4"),
                server_event("user.logged_in", at("2026-11-25T10:00:00Z"), "u1"),
                server_event("user.logged_in", at("2026-12-01T10:00:00Z"), "u1"),
                server_event("watch.progress", at("2026-12-02T10:00:00Z"), "u2", "v1", "", 30),
                server_event("user.logged_in", at("2026-12-01T11:00:00Z"), "u4")});
  const auto now = at("2026-12-02T12:00:00Z");
  svc.rollup(now);
  Principal staff{.id = "s", .is_staff = true};
  auto cohorts = svc.cohorts(staff, 3, now);
  ASSERT_EQ(cohorts.size(), 2u);
  EXPECT_EQ(cohorts[0].week_start, at("2026-11-16T00:00:00Z"));
  EXPECT_EQ(cohorts[0].size, 3);
  EXPECT_EQ(cohorts[0].active, (std::vector<std::int64_t>{3, 1, 2}));
  EXPECT_DOUBLE_EQ(cohorts[0].share[1], 1.0 / 3);
  EXPECT_EQ(cohorts[1].week_start, at("2026-11-23T00:00:00Z"));
  EXPECT_EQ(cohorts[1].active, (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(svc.cohorts(staff, 2, now).size(), 1u);
  // A signup already known keeps its first time.
  store.insert({server_event("user.registered", at("2026-12-02T11:30:00Z"), "u1")});
  svc.rollup(now + 60'000);
  EXPECT_EQ(svc.cohorts(staff, 3, now).at(0).size, 3);
  EXPECT_THROW(svc.cohorts(Principal{.id = "u1"}, 3, now), Error);
}

TEST_F(AnalyticsServiceTest, OnlyStaffGetTheLiveStreamAndItCarriesTheBoardsTotals) {
  MemoryLiveBoard board;
  svc.set_live_board(board);
  NodeLive n;
  n.node_id = "n1";
  n.at = now_ms();
  n.sockets = 5;
  board.put(n);
  std::vector<LiveTotals> got;
  auto keep = [&got](const LiveTotals& t, std::int64_t) { got.push_back(t); };
  EXPECT_THROW(svc.subscribe_live(Principal{.id = "u"}, "s1", keep), Error);
  EXPECT_TRUE(got.empty());
  svc.subscribe_live(Principal{.id = "s", .is_staff = true}, "s2", keep);
  ASSERT_EQ(got.size(), 1u);  // at once, not a few seconds later
  EXPECT_EQ(std::tuple(got[0].nodes, got[0].sockets), std::tuple(1, 5));
  n.sockets = 7;
  n.at = now_ms();
  board.put(n);
  svc.push_live();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].sockets, 7);
  svc.unsubscribe_live("s2");
  svc.push_live();
  EXPECT_EQ(got.size(), 2u);
}

TEST(AnalyticsCohorts, WeeksStartOnMondayAndTheTableIsCountedByHand) {
  EXPECT_EQ(week_index(kFirstMondayMs), 0);
  EXPECT_EQ(week_index(kFirstMondayMs - 1), -1);
  const auto wed = *parse_rfc3339("2026-12-02T12:00:00Z");
  EXPECT_EQ(week_start(week_index(wed)), *parse_rfc3339("2026-11-30T00:00:00Z"));
  // Cohort 10 of 4 users: 4, 2, 1 active; cohort 11 has nobody; cohort 12 of 2: 1.
  auto t = cohort_table({{10, 4}, {12, 2}, {9, 5}}, {{10, 10, 4}, {10, 11, 2}, {10, 12, 1}, {12, 12, 1}, {12, 13, 2}},
                        10, 12);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].active, (std::vector<std::int64_t>{4, 2, 1}));
  EXPECT_EQ(t[0].share, (std::vector<double>{1.0, 0.5, 0.25}));
  EXPECT_EQ(t[1].active, (std::vector<std::int64_t>{1}));  // week 13 is not yet
  EXPECT_EQ(t[1].share, (std::vector<double>{0.5}));
}

TEST_F(AnalyticsRollupTest, CsvExportHasAHeaderAndALinePerBucket) {
  svc.rollup(base + 2 * 60 * minute);
  auto csv = to_csv(store.video_buckets(std::nullopt, Granularity::day, base, base + 86'400'000));
  EXPECT_EQ(csv,
            "video_id,bucket_start,views,unique_viewers,watch_time,party_watch_time,likes,comments\r\n"
            "v1,2026-12-01T00:00:00.000Z,3,2,50,20,1,1\r\n");
}

// ---------------------------------------------------------------- retention, forecast, live counts

TEST(AnalyticsRetention, ShareOfViewersAtEachFivePercent) {
  // Four viewers got to 100%, 50%, 25% and 0%.
  auto curve = retention_curve({100, 50, 25, 0});
  ASSERT_EQ(curve.size(), 21u);
  EXPECT_DOUBLE_EQ(curve[0], 1.0);    // 0%: everyone
  EXPECT_DOUBLE_EQ(curve[1], 0.75);   // 5%
  EXPECT_DOUBLE_EQ(curve[5], 0.75);   // 25%
  EXPECT_DOUBLE_EQ(curve[6], 0.5);    // 30%
  EXPECT_DOUBLE_EQ(curve[10], 0.5);   // 50%
  EXPECT_DOUBLE_EQ(curve[11], 0.25);  // 55%
  EXPECT_DOUBLE_EQ(curve[20], 0.25);  // 100%
  EXPECT_DOUBLE_EQ(*average_completion({100, 50, 25, 0}), 43.75);
  EXPECT_TRUE(retention_curve({}).empty());
}

TEST(AnalyticsForecast, HoltWintersMatchesTheHandComputation) {
  const std::vector<double> y{3, 5, 7, 9, 11, 13, 15, 4, 6, 8, 10, 12, 14, 16, 5, 7};
  // Start: L = 9, T = (10 - 9) / 7, S = y[0..7) - 9 = -6 -4 -2 0 2 4 6.
  // t = 0: f = 9 + 1/7 - 6 = 3.142857; L' = .5 (3 + 6) + .5 (9 + 1/7) = 9.071429;
  //        T' = .5 (9.071429 - 9) + .5 / 7 = 0.107143; S[0] = .5 (3 - 9.071429) + .5 (-6) = -6.035714.
  auto one = fit(std::vector<double>(y.begin(), y.begin() + 14), {0.5, 0.5, 0.5});
  EXPECT_NEAR(one.one_step[0], 3.142857, 1e-6);
  EXPECT_NEAR(one.one_step[1], 5.178571, 1e-6);
  auto f = fit(y, {0.5, 0.5, 0.5});
  EXPECT_NEAR(f.level, 10.768833260251476, 1e-9);
  EXPECT_NEAR(f.trend, 0.2552184169513311, 1e-9);
  EXPECT_NEAR(f.sigma, 0.5070532089234421, 1e-9);
  EXPECT_NEAR(f.season[0], -5.591811708174646, 1e-9);
  auto points = forecast(f, 14);
  EXPECT_NEAR(points[0], 8.93977452418767, 1e-9);
  EXPECT_NEAR(points[7], 10.726303442846987, 1e-9);
  auto widths = half_widths(f, 14);
  EXPECT_NEAR(widths[0], 0.6498148337102505, 1e-9);  // 1.2816 sigma
  EXPECT_NEAR(widths[7], 2.9778256631823647, 1e-9);
}

TEST(AnalyticsForecast, AnExactWeeklyPatternIsForecastExactlyWithAZeroBacktestError) {
  std::vector<double> y;
  for (int d = 0; d < 70; ++d) y.push_back(10 + d % 7);
  auto p = predict(y, 14);
  ASSERT_TRUE(p);
  for (int h = 0; h < 14; ++h) {
    EXPECT_NEAR(p->point[h], 10 + (70 + h) % 7, 1e-9);
    EXPECT_NEAR(p->upper[h] - p->lower[h], 0, 1e-9);
  }
  ASSERT_TRUE(p->mape);
  EXPECT_NEAR(*p->mape, 0, 1e-9);
  EXPECT_FALSE(predict(std::vector<double>(13, 1.0)));
  EXPECT_FALSE(predict(std::vector<double>(30, 1.0))->mape);  // below 2 m + 28 days: no backtest
}

TEST(AnalyticsForecast, MapeSkipsZeroActuals) {
  EXPECT_NEAR(*mape({10, 0, 20}, {11, 5, 15}), (10.0 + 25.0) / 2, 1e-9);
  EXPECT_FALSE(mape({0, 0}, {1, 1}));
}

TEST(AnalyticsLive, NodesAreSummedAndAPartyOnTwoNodesCountsOnce) {
  NodeLive a{"a", 1000, 5, 3, {"party:1", "party:2"}, 60};
  NodeLive b{"b", 990, 4, 2, {"party:2"}, 30};
  NodeLive stale{"c", -20'000, 100, 100, {"party:9"}, 1000};  // measured 21 s ago
  auto t = sum_live({a, live_from_json_text(live_json_text(b)), stale}, 1000, 15'000);
  EXPECT_EQ(t.nodes, 2);
  EXPECT_EQ(t.sockets, 9);
  EXPECT_EQ(t.watching_now, 5);
  EXPECT_EQ(t.active_parties, 2);
  EXPECT_DOUBLE_EQ(t.events_per_minute, 90);
}

TEST(AnalyticsLive, EventsPerMinuteFromARunningTotal) {
  RateOverMinute r;
  EXPECT_EQ(r.add(0, 100), 0);
  EXPECT_DOUBLE_EQ(r.add(30'000, 130), 60);   // 30 events in 30 s
  EXPECT_DOUBLE_EQ(r.add(90'000, 190), 60);  // the first sample is past the minute: 60 in the last 60 s
}

}  // namespace
}  // namespace wp::analytics

