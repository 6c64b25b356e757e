#include "modules/analytics/store.hpp"

#include <soci/soci.h>

#include <optional>

#include "db/affected.hpp"
#include "db/kept.hpp"
#include "db/pg_copy.hpp"
#include "db/soci_optional.hpp"
#include "modules/analytics/sql.hpp"

namespace wp::analytics {

using soci::use;

namespace {

// One event's values, bound once to the kept one-row INSERT (SOCI holds
// their addresses): each row is copied in and the statement run again.
struct EventVars {
  EventRow row;
  std::string source;
  std::optional<long long> client_ts;
  long long amount = 0, timestamp = 0;
};

void bind_event(soci::statement& st, EventVars& v) {
  st.exchange(use(v.row.id));
  st.exchange(use(v.row.event_type));
  st.exchange(use(v.row.event_name));
  st.exchange(use(v.row.event_data));
  st.exchange(use(v.source));
  st.exchange(use(v.row.session_id));
  st.exchange(use(v.row.user_id));
  st.exchange(use(v.row.video_id));
  st.exchange(use(v.row.party_id));
  st.exchange(use(v.amount));
  st.exchange(use(v.client_ts));
  st.exchange(use(v.timestamp));
  st.exchange(use(v.row.ip_address));
  st.exchange(use(v.row.user_agent));
}

void copy_rows(soci::session& s, const std::vector<EventRow>& rows) {
  db::CopyText t;
  for (const auto& r : rows)
    t.text(r.id)
        .text(r.event_type)
        .text(r.event_name)
        .text(r.event_data)
        .text(to_string(r.source))
        .text(r.session_id)
        .maybe_text(r.user_id)
        .maybe_text(r.video_id)
        .maybe_text(r.party_id)
        .number(r.amount)
        .maybe_number(r.client_timestamp)
        .number(r.timestamp)
        .text(r.ip_address)
        .text(r.user_agent)
        .end_row();
  db::copy_in(s, sql::kCopyEvents, t.data());
}

}  // namespace

void Store::insert(const std::vector<EventRow>& rows) {
  if (rows.empty()) return;
  if (postgresql()) return db_.tx([&](soci::session& s) { copy_rows(s, rows); });
  // On SQLite a kept one-row INSERT run per row: a batch's size changes from
  // flush to flush, and parsing a multi-row statement of each new size cost
  // several times what running the kept one does.
  db_.tx([&](soci::session& s) {
    auto& k = db::kept_statement<EventVars>(db_, s, insert_key_, sql::kInsertEvent, bind_event);
    for (const auto& r : rows) {
      auto& v = k.vars;
      v.row = r;
      v.source = to_string(r.source);
      v.client_ts = r.client_timestamp ? std::optional<long long>(*r.client_timestamp) : std::nullopt;
      v.amount = r.amount;
      v.timestamp = r.timestamp;
      db::run_kept(db_, s, insert_key_, k);
    }
  });
}

std::vector<std::string> Store::partitions() {
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    soci::rowset<std::string> names = (s.prepare << sql::kPartitions);
    for (auto& n : names) out.push_back(n);
    return out;
  });
}

void Store::apply(const PartitionPlan& plan) {
  if (plan.create.empty() && plan.drop.empty()) return;
  db_.tx([&](soci::session& s) {
    s << sql::kPartitionLock;
    for (auto& m : plan.create)
      s << sql::create_partition(partition_name(m), month_start_ms(m), month_start_ms(next_month(m)));
    for (auto& name : plan.drop)
      if (month_of_partition(name)) s << sql::drop_partition(name);
  });
}

long long Store::delete_before(std::int64_t cutoff) {
  return db_.tx([&](soci::session& s) {
    long long t = cutoff;
    soci::statement st = (s.prepare << sql::kDeleteEventsBefore, use(t));
    return db::execute_counting(st);
  });
}

// ---------------------------------------------------------------- rollups

namespace {

constexpr const char* kEventsWatermark = "events";

std::optional<std::int64_t> maybe_number(soci::session& s, const char* sql, const std::string* name) {
  long long v = 0;
  soci::indicator ind = soci::i_null;
  if (name)
    s << sql, soci::into(v, ind), use(*name);
  else
    s << sql, soci::into(v, ind);
  if (!s.got_data() || ind != soci::i_ok) return std::nullopt;
  return v;
}

void replace_buckets(soci::session& s, const char* del, const char* insert, Granularity g, BucketRange r) {
  const std::string name(to_string(g));
  long long size = bucket_ms(g), from = r.from, to = r.to;
  s << del, use(name), use(from), use(to);
  s << insert, use(name), use(size), use(size), use(from), use(to);
}

std::vector<PresenceEvent> presence_events(soci::session& s, const std::string& party_id) {
  long long at = 0;
  std::string user, type;
  soci::statement st = (s.prepare << sql::kPresenceEvents, soci::into(at), soci::into(user), soci::into(type),
                        use(party_id));
  std::vector<PresenceEvent> out;
  if (st.execute(true)) {
    do out.push_back({at, user, type == "party.connected" ? +1 : -1});
    while (st.fetch());
  }
  return out;
}

std::string curve_json(const std::vector<std::int64_t>& curve) {
  std::string out = "[";
  for (std::size_t i = 0; i < curve.size(); ++i) out += (i ? "," : "") + std::to_string(curve[i]);
  return out + "]";
}

void write_presence_buckets(soci::session& s, const std::string& party_id, Granularity g,
                            const std::vector<PresenceBucket>& buckets) {
  const std::string name(to_string(g));
  for (auto& b : buckets) {
    long long start = b.bucket_start, peak = b.peak, mm = b.member_ms, lm = b.live_ms, end = b.at_end;
    s << sql::kUpsertPresenceBucket, use(party_id), use(name), use(start), use(peak), use(mm), use(lm), use(end);
  }
}

void write_presence(soci::session& s, const std::string& party_id, const PartyPresence& p, std::int64_t now) {
  s << sql::kClearPresenceBuckets, use(party_id);
  if (p.members == 0) {
    s << sql::kDeletePresence, use(party_id);
    return;
  }
  write_presence_buckets(s, party_id, Granularity::hour, p.hours);
  write_presence_buckets(s, party_id, Granularity::day, p.days);
  long long started = p.started_at, ended = p.ended_at, members = p.members, peak = p.peak, mm = p.member_ms,
            lm = p.live_ms, present = p.present_now, left = p.left_early, slot = p.slot_ms, at = now;
  const auto curve = curve_json(p.curve);
  s << sql::kUpsertPresence, use(party_id), use(started), use(ended), use(members), use(peak), use(mm), use(lm),
      use(present), use(left), use(slot), use(curve), use(at);
}

// Every party whose presence the range may have changed, recomputed whole.
void refresh_presence(soci::session& s, BucketRange range, std::int64_t now, const Store::PresenceFn& presence) {
  std::vector<std::string> parties;
  {
    long long f = range.from, t = range.to, f2 = range.from;
    soci::rowset<std::string> ids = (s.prepare << sql::kPresenceParties, use(f), use(t), use(f2));
    for (auto& id : ids) parties.push_back(id);
  }
  for (auto& id : parties) write_presence(s, id, presence(presence_events(s, id), now), now);
}

// Cohorts: the signups of the range (a user already known keeps the first).
void record_signups(soci::session& s, BucketRange range) {
  long long f = range.from, t = range.to;
  s << sql::kRecordSignups, use(f), use(t);
}

}  // namespace

std::optional<std::int64_t> Store::watermark() {
  const std::string name = kEventsWatermark;
  return db_.with([&](soci::session& s) { return maybe_number(s, sql::kWatermark, &name); });
}

std::optional<std::int64_t> Store::first_event() {
  return db_.with([&](soci::session& s) { return maybe_number(s, sql::kFirstEvent, nullptr); });
}

void Store::rollup(std::int64_t since, std::int64_t now, const PresenceFn& presence) {
  const bool pg = postgresql();
  db_.tx([&](soci::session& s) {
    if (pg) s << sql::kRollupLock;
    for (auto g : kGranularities) {
      auto range = buckets_to_recompute(since, now, g);
      replace_buckets(s, sql::kDeleteVideoRollups, sql::kRollupVideos, g, range);
      replace_buckets(s, sql::kDeletePartyRollups, sql::kRollupParties, g, range);
      replace_buckets(s, sql::kDeleteUserRollups, sql::kRollupUsers, g, range);
    }
    // After the party buckets: their rows were just replaced with no presence.
    refresh_presence(s, buckets_to_recompute(since, now, Granularity::day), now, presence);
    record_signups(s, buckets_to_recompute(since, now, Granularity::day));
    const std::string name = kEventsWatermark;
    long long w = now, t = now;
    s << sql::kSetWatermark, use(name), use(w), use(t);
  });
}

// ---------------------------------------------------------------- reading rollups

namespace {

template <class Row>
std::vector<Row> buckets(db::Database& db, const db::Columns<Row>& columns, const char* of_one, const char* of_all,
                         const std::optional<std::string>& id, Granularity g, std::int64_t from, std::int64_t to) {
  const std::string name(to_string(g));
  long long f = from, t = to;
  return db.with([&](soci::session& s) {
    if (id) return db::select_rows(s, columns, of_one, db::uses(*id, name, f, t));
    return db::select_rows(s, columns, of_all, db::uses(name, f, t));
  });
}

}  // namespace

std::vector<VideoBucket> Store::video_buckets(const std::optional<std::string>& id, Granularity g, std::int64_t from,
                                              std::int64_t to) {
  return buckets(reads_, sql::kVideoBucket, sql::kVideoBucketsOf, sql::kVideoBucketsAll, id, g, from, to);
}

std::vector<PartyBucket> Store::party_buckets(const std::optional<std::string>& id, Granularity g, std::int64_t from,
                                              std::int64_t to) {
  return buckets(reads_, sql::kPartyBucket, sql::kPartyBucketsOf, sql::kPartyBucketsAll, id, g, from, to);
}

std::vector<UserBucket> Store::user_buckets(const std::optional<std::string>& id, Granularity g, std::int64_t from,
                                            std::int64_t to) {
  return buckets(reads_, sql::kUserBucket, sql::kUserBucketsOf, sql::kUserBucketsAll, id, g, from, to);
}

std::vector<CountBucket> Store::active_users(Granularity g, std::int64_t from, std::int64_t to) {
  const std::string name(to_string(g));
  long long f = from, t = to;
  return reads_.with([&](soci::session& s) { return db::select_rows(s, sql::kCountBucket, sql::kActiveUsers, db::uses(name, f, t)); });
}

std::vector<CountBucket> Store::daily_views(const std::string& video_id, std::int64_t from, std::int64_t to) {
  long long f = from, t = to;
  return reads_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kViewBucket, sql::kDailyViewsOf, db::uses(video_id, f, t)); });
}

std::vector<CohortSize> Store::cohort_sizes(std::int64_t from, std::int64_t to) {
  long long f = from, t = to;
  return reads_.with([&](soci::session& s) { return db::select_rows(s, sql::kCohortSize, sql::kCohortSizes, db::uses(f, t)); });
}

std::vector<CohortActivity> Store::cohort_activity(std::int64_t from, std::int64_t to) {
  long long f = from, t = to, f2 = from;
  return reads_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kCohortActivity, sql::kCohortActivityOf, db::uses(f, t, f2)); });
}

std::optional<PartySummary> Store::party_summary(const std::string& party_id) {
  return reads_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kPartySummary, sql::kPartySummaryOf, db::uses(party_id)); });
}

}  // namespace wp::analytics
