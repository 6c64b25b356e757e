#pragma once
// Every read and write of the analytics tables (the SQL text is in sql.hpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/analytics/cohorts.hpp"
#include "modules/analytics/model.hpp"
#include "modules/analytics/partitions.hpp"
#include "modules/analytics/presence.hpp"
#include "modules/analytics/rollup.hpp"

namespace wp::analytics {

class Store {
 public:
  // `reads`: where the read views read the rollups (a streaming replica of
  // `db`); null: `db`. Every write, and the rollup's own reads, go to `db`.
  explicit Store(db::Database& db, db::Database* reads = nullptr) : db_(db), reads_(reads ? *reads : db) {}

  bool postgresql() const { return db_.dialect() == db::Dialect::postgresql; }

  // All of rows in one transaction: a COPY on PostgreSQL, a kept one-row
  // INSERT per row on SQLite.
  void insert(const std::vector<EventRow>& rows);

  // PostgreSQL: the partitions of analytics_events that exist.
  std::vector<std::string> partitions();
  // PostgreSQL: makes and drops partitions under one lock (several nodes run this).
  void apply(const PartitionPlan& plan);
  // SQLite: deletes the events before `cutoff`; how many went.
  long long delete_before(std::int64_t cutoff);

  // Rollups: the watermark (nullopt before the first run) and the oldest event.
  std::optional<std::int64_t> watermark();
  std::optional<std::int64_t> first_event();
  // Replaces every bucket of every rollup from `since` to `now` (both
  // granularities) with sums of the raw events, recomputes the presence of
  // every party it may have changed (`presence`, over the party's whole
  // connection history), and moves the watermark to `now`, in one
  // transaction (one node at a time on PostgreSQL).
  using PresenceFn = std::function<PartyPresence(std::vector<PresenceEvent>, std::int64_t now)>;
  void rollup(std::int64_t since, std::int64_t now, const PresenceFn& presence);
  std::optional<PartySummary> party_summary(const std::string& party_id);

  // Rollup buckets in [from, to), oldest first: of one id, or (nullopt) of all.
  std::vector<VideoBucket> video_buckets(const std::optional<std::string>& id, Granularity g, std::int64_t from,
                                         std::int64_t to);
  std::vector<PartyBucket> party_buckets(const std::optional<std::string>& id, Granularity g, std::int64_t from,
                                         std::int64_t to);
  std::vector<UserBucket> user_buckets(const std::optional<std::string>& id, Granularity g, std::int64_t from,
                                       std::int64_t to);
  // Users active in each bucket (buckets without any are absent).
  std::vector<CountBucket> active_users(Granularity g, std::int64_t from, std::int64_t to);
  // Cohorts of the users who signed up in [from, to): their sizes, and their activity per week from `from` on.
  std::vector<CohortSize> cohort_sizes(std::int64_t from, std::int64_t to);
  std::vector<CohortActivity> cohort_activity(std::int64_t from, std::int64_t to);
  std::vector<CountBucket> daily_views(const std::string& video_id, std::int64_t from, std::int64_t to);

 private:
  db::Database& db_;
  db::Database& reads_;
  const std::uint64_t insert_key_ = db::Database::new_kept_key();  // the one-row INSERT of insert(), on SQLite
};

}  // namespace wp::analytics
