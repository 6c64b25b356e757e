#pragma once
// Every SQL text of the analytics module. Only store.cpp includes it.
#include <cstddef>
#include <string>

#include "db/columns.hpp"
#include "modules/analytics/cohorts.hpp"
#include "modules/analytics/model.hpp"

namespace wp::analytics::sql {

#define WP_ANALYTICS_EVENT_COLUMNS                                                                               \
  "analytics_events (id, event_type, event_name, event_data, source, session_id, user_id, video_id, party_id, " \
  "amount, client_timestamp, timestamp, ip_address, user_agent)"
// PostgreSQL takes a batch by COPY (db/pg_copy.hpp), the columns in the same order.
inline constexpr const char* kCopyEvents = "COPY " WP_ANALYTICS_EVENT_COLUMNS " FROM STDIN";
// SQLite's insert: one event, kept prepared and run once per row of a batch.
inline constexpr const char* kInsertEvent =
    "INSERT INTO " WP_ANALYTICS_EVENT_COLUMNS " VALUES (:id, :type, :name, :data, :source, :session, :user, :video, "
    ":party, :amount, :client_ts, :ts, :ip, :ua)";
#undef WP_ANALYTICS_EVENT_COLUMNS

// PostgreSQL partitions (analytics_events_pYYYYMM).
inline constexpr const char* kPartitions =
    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = "
    "i.inhparent WHERE p.relname = 'analytics_events' ORDER BY c.relname";
// One transaction-scoped lock, so two nodes never make or drop the same partition at once.
inline constexpr const char* kPartitionLock = "SELECT pg_advisory_xact_lock(7274728)";
// Names come from partition_name() (digits only), bounds are integers: nothing a client wrote.
inline std::string create_partition(const std::string& name, long long from, long long to) {
  return "CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF analytics_events FOR VALUES FROM (" +
         std::to_string(from) + ") TO (" + std::to_string(to) + ")";
}
inline std::string drop_partition(const std::string& name) { return "DROP TABLE IF EXISTS " + name; }

// SQLite: the same retention by rows.
inline constexpr const char* kDeleteEventsBefore = "DELETE FROM analytics_events WHERE timestamp < :t";


// ---------------------------------------------------------------- rollups
// Each rollup replaces whole buckets: DELETE the range, then INSERT ... SELECT
// from the raw events of the same range. Parameters of every INSERT, in
// order: granularity, bucket size twice, from, to. GROUP BY by position, so
// that PostgreSQL sees the bucket expression as one.
inline constexpr const char* kRollupLock = "SELECT pg_advisory_xact_lock(7274729)";
inline constexpr const char* kWatermark = "SELECT watermark FROM analytics_rollup_state WHERE name = :n";
inline constexpr const char* kSetWatermark =
    "INSERT INTO analytics_rollup_state (name, watermark, updated_at) VALUES (:n, :w, :t) ON CONFLICT (name) DO "
    "UPDATE SET watermark = excluded.watermark, updated_at = excluded.updated_at";
inline constexpr const char* kFirstEvent = "SELECT MIN(timestamp) FROM analytics_events";

inline constexpr const char* kDeleteVideoRollups =
    "DELETE FROM analytics_video_rollups WHERE granularity = :g AND bucket_start >= :f AND bucket_start < :t";
inline constexpr const char* kRollupVideos =
    "INSERT INTO analytics_video_rollups (video_id, granularity, bucket_start, views, unique_viewers, watch_time, "
    "party_watch_time, likes, comments) "
    "SELECT video_id, CAST(:g AS TEXT), (timestamp / :s1) * :s2, "
    "SUM(CASE WHEN event_type = 'video.viewed' THEN 1 ELSE 0 END), "
    "COUNT(DISTINCT CASE WHEN event_type IN ('video.viewed', 'watch.progress') THEN user_id END), "
    "SUM(CASE WHEN event_type = 'watch.progress' THEN amount ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'watch.progress' AND party_id IS NOT NULL THEN amount ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'video.liked' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'comment.created' THEN 1 ELSE 0 END) "
    "FROM analytics_events WHERE source = 'server' AND video_id IS NOT NULL AND timestamp >= :f AND timestamp < :t "
    "GROUP BY 1, 3";

inline constexpr const char* kDeletePartyRollups =
    "DELETE FROM analytics_party_rollups WHERE granularity = :g AND bucket_start >= :f AND bucket_start < :t";
inline constexpr const char* kRollupParties =
    "INSERT INTO analytics_party_rollups (party_id, granularity, bucket_start, members, joins, leaves, messages, "
    "reactions, polls, watch_time, drift_reports, drift_abs_ms_sum, drift_abs_ms_max) "
    "SELECT party_id, CAST(:g AS TEXT), (timestamp / :s1) * :s2, "
    "COUNT(DISTINCT user_id), "
    "SUM(CASE WHEN event_type = 'party.joined' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'party.left' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'party.chat_sent' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'party.reaction' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'poll.created' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'watch.progress' THEN amount ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'party.sync_drift' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'party.sync_drift' THEN amount ELSE 0 END), "
    "MAX(CASE WHEN event_type = 'party.sync_drift' THEN amount ELSE 0 END) "
    "FROM analytics_events WHERE source = 'server' AND party_id IS NOT NULL AND timestamp >= :f AND timestamp < :t "
    "GROUP BY 1, 3";

inline constexpr const char* kDeleteUserRollups =
    "DELETE FROM analytics_user_rollups WHERE granularity = :g AND bucket_start >= :f AND bucket_start < :t";
inline constexpr const char* kRollupUsers =
    "INSERT INTO analytics_user_rollups (user_id, granularity, bucket_start, events, watch_time, parties_hosted, "
    "parties_joined, social) "
    "SELECT user_id, CAST(:g AS TEXT), (timestamp / :s1) * :s2, COUNT(*), "
    "SUM(CASE WHEN event_type = 'watch.progress' THEN amount ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'party.created' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN event_type = 'party.joined' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN event_type IN ('friend.added', 'message.sent', 'group.joined', 'event.rsvp') THEN 1 ELSE 0 END) "
    "FROM analytics_events WHERE user_id IS NOT NULL AND timestamp >= :f AND timestamp < :t "
    "GROUP BY 1, 3";

// ---------------------------------------------------------------- party presence
// Parties whose presence may have changed in the run's range: those with a
// connection event in it, and those live or ended within it (their quiet
// buckets were just replaced). Parameters: from, to, from.
inline constexpr const char* kPresenceParties =
    "SELECT DISTINCT party_id FROM analytics_events WHERE event_type IN ('party.connected', 'party.disconnected') "
    "AND party_id IS NOT NULL AND timestamp >= :f AND timestamp < :t "
    "UNION SELECT party_id FROM analytics_party_presence WHERE present_now > 0 OR ended_at >= :f2";
// A party's whole connection history (idx_analytics_events_party).
inline constexpr const char* kPresenceEvents =
    "SELECT timestamp, COALESCE(user_id, ''), event_type FROM analytics_events WHERE party_id = :p AND source = "
    "'server' AND event_type IN ('party.connected', 'party.disconnected') ORDER BY timestamp";
inline constexpr const char* kClearPresenceBuckets =
    "UPDATE analytics_party_rollups SET peak_concurrent = 0, member_ms = 0, live_ms = 0, present_at_end = 0 "
    "WHERE party_id = :p";
// A bucket without any other event (members present, nobody did anything) gets its row here.
inline constexpr const char* kUpsertPresenceBucket =
    "INSERT INTO analytics_party_rollups (party_id, granularity, bucket_start, peak_concurrent, member_ms, live_ms, "
    "present_at_end) VALUES (:p, :g, :b, :pk, :mm, :lm, :e) ON CONFLICT (party_id, granularity, bucket_start) DO "
    "UPDATE SET peak_concurrent = excluded.peak_concurrent, member_ms = excluded.member_ms, live_ms = "
    "excluded.live_ms, present_at_end = excluded.present_at_end";
inline constexpr const char* kDeletePresence = "DELETE FROM analytics_party_presence WHERE party_id = :p";
inline constexpr const char* kUpsertPresence =
    "INSERT INTO analytics_party_presence (party_id, started_at, ended_at, members, peak_concurrent, member_ms, "
    "live_ms, present_now, left_early, slot_ms, curve, updated_at) VALUES (:p, :s, :e, :m, :pk, :mm, :lm, :pn, :le, "
    ":sl, :c, :u) ON CONFLICT (party_id) DO UPDATE SET started_at = excluded.started_at, ended_at = "
    "excluded.ended_at, members = excluded.members, peak_concurrent = excluded.peak_concurrent, member_ms = "
    "excluded.member_ms, live_ms = excluded.live_ms, present_now = excluded.present_now, left_early = "
    "excluded.left_early, slot_ms = excluded.slot_ms, curve = excluded.curve, updated_at = excluded.updated_at";
inline const db::Columns<PartySummary> kPartySummary{
    {"started_at", &PartySummary::started_at},   {"ended_at", &PartySummary::ended_at},
    {"members", &PartySummary::members},         {"peak_concurrent", &PartySummary::peak},
    {"member_ms", &PartySummary::member_ms},     {"live_ms", &PartySummary::live_ms},
    {"present_now", &PartySummary::present_now}, {"left_early", &PartySummary::left_early},
    {"slot_ms", &PartySummary::slot_ms},         {"curve", &PartySummary::curve_json},
};
inline constexpr const char* kRecordSignups =
    "INSERT INTO analytics_user_signups (user_id, signup_at) SELECT user_id, MIN(timestamp) FROM analytics_events "
    "WHERE event_type = 'user.registered' AND source = 'server' AND user_id IS NOT NULL AND timestamp >= :f AND "
    "timestamp < :t GROUP BY user_id ON CONFLICT (user_id) DO NOTHING";
inline constexpr const char* kPartySummaryOf = "FROM analytics_party_presence WHERE party_id = :p";

// ---------------------------------------------------------------- reading rollups
// Parameters: the id (or nothing for "all"), granularity, from, to.
inline const db::Columns<VideoBucket> kVideoBucket{
    {"video_id", &VideoBucket::video_id},     {"bucket_start", &VideoBucket::bucket_start},
    {"views", &VideoBucket::views},           {"unique_viewers", &VideoBucket::unique_viewers},
    {"watch_time", &VideoBucket::watch_time}, {"party_watch_time", &VideoBucket::party_watch_time},
    {"likes", &VideoBucket::likes},           {"comments", &VideoBucket::comments},
};
inline const db::Columns<PartyBucket> kPartyBucket{
    {"party_id", &PartyBucket::party_id},
    {"bucket_start", &PartyBucket::bucket_start},
    {"members", &PartyBucket::members},
    {"joins", &PartyBucket::joins},
    {"leaves", &PartyBucket::leaves},
    {"messages", &PartyBucket::messages},
    {"reactions", &PartyBucket::reactions},
    {"polls", &PartyBucket::polls},
    {"watch_time", &PartyBucket::watch_time},
    {"drift_reports", &PartyBucket::drift_reports},
    {"drift_abs_ms_sum", &PartyBucket::drift_abs_ms_sum},
    {"drift_abs_ms_max", &PartyBucket::drift_abs_ms_max},
    {"peak_concurrent", &PartyBucket::peak_concurrent},
    {"member_ms", &PartyBucket::member_ms},
    {"live_ms", &PartyBucket::live_ms},
    {"present_at_end", &PartyBucket::present_at_end},
};
inline const db::Columns<UserBucket> kUserBucket{
    {"user_id", &UserBucket::user_id},       {"bucket_start", &UserBucket::bucket_start},
    {"events", &UserBucket::events},         {"watch_time", &UserBucket::watch_time},
    {"parties_hosted", &UserBucket::parties_hosted}, {"parties_joined", &UserBucket::parties_joined},
    {"social", &UserBucket::social},
};
inline constexpr const char* kVideoBucketsOf =
    "FROM analytics_video_rollups WHERE video_id = :id AND granularity = :g AND bucket_start >= :f AND "
    "bucket_start < :t ORDER BY bucket_start";
inline constexpr const char* kVideoBucketsAll =
    "FROM analytics_video_rollups WHERE granularity = :g AND bucket_start >= :f AND bucket_start < :t "
    "ORDER BY bucket_start, video_id";
inline constexpr const char* kPartyBucketsOf =
    "FROM analytics_party_rollups WHERE party_id = :id AND granularity = :g AND bucket_start >= :f AND "
    "bucket_start < :t ORDER BY bucket_start";
inline constexpr const char* kPartyBucketsAll =
    "FROM analytics_party_rollups WHERE granularity = :g AND bucket_start >= :f AND bucket_start < :t "
    "ORDER BY bucket_start, party_id";
inline constexpr const char* kUserBucketsOf =
    "FROM analytics_user_rollups WHERE user_id = :id AND granularity = :g AND bucket_start >= :f AND "
    "bucket_start < :t ORDER BY bucket_start";
inline constexpr const char* kUserBucketsAll =
    "FROM analytics_user_rollups WHERE granularity = :g AND bucket_start >= :f AND bucket_start < :t "
    "ORDER BY bucket_start, user_id";
// Active users per bucket: a user has a row in a bucket only when they did something in it.
inline const db::Columns<CountBucket> kCountBucket{
    {"bucket_start", &CountBucket::bucket_start},
    {"COUNT(*)", &CountBucket::count},
};
inline constexpr const char* kActiveUsers =
    "FROM analytics_user_rollups WHERE granularity = :g AND bucket_start >= :f AND bucket_start < :t "
    "GROUP BY bucket_start ORDER BY bucket_start";
// Daily views of one video (for the forecast).
inline const db::Columns<CountBucket> kViewBucket{
    {"bucket_start", &CountBucket::bucket_start},
    {"views", &CountBucket::count},
};
inline constexpr const char* kDailyViewsOf =
    "FROM analytics_video_rollups WHERE video_id = :id AND granularity = 'day' AND bucket_start >= :f AND "
    "bucket_start < :t ORDER BY bucket_start";

// ---------------------------------------------------------------- cohorts
// Week numbers as cohorts.hpp counts them: (t - kFirstMondayMs) / kWeekMs.
#define WP_ANALYTICS_WEEK(t) "((" t " - 345600000) / 604800000)"
static_assert(kFirstMondayMs == 345600000 && kWeekMs == 604800000);
inline const db::Columns<CohortSize> kCohortSize{
    {WP_ANALYTICS_WEEK("signup_at"), &CohortSize::cohort_week},
    {"COUNT(*)", &CohortSize::users},
};
inline constexpr const char* kCohortSizes =
    "FROM analytics_user_signups WHERE signup_at >= :f AND signup_at < :t GROUP BY 1";
// Of each cohort, the users with a day in the user rollup, per week.
inline const db::Columns<CohortActivity> kCohortActivity{
    {WP_ANALYTICS_WEEK("s.signup_at"), &CohortActivity::cohort_week},
    {WP_ANALYTICS_WEEK("r.bucket_start"), &CohortActivity::active_week},
    {"COUNT(DISTINCT s.user_id)", &CohortActivity::users},
};
inline constexpr const char* kCohortActivityOf =
    "FROM analytics_user_signups s JOIN analytics_user_rollups r ON r.user_id = s.user_id AND r.granularity = "
    "'day' WHERE s.signup_at >= :f AND s.signup_at < :t AND r.bucket_start >= :f2 GROUP BY 1, 2";
#undef WP_ANALYTICS_WEEK

}  // namespace wp::analytics::sql
