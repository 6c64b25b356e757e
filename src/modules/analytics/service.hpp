#pragma once
// Analytics: events from clients (a checked batch, written before the
// answer) and from the modules (wp::DomainEvents, queued and written in
// batches by the writer), and the retention of both.
#include <boost/json/array.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/domain_events.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "modules/analytics/cohorts.hpp"
#include "modules/analytics/forecast.hpp"
#include "modules/analytics/live.hpp"
#include "modules/analytics/live_stream.hpp"
#include "modules/analytics/model.hpp"
#include "modules/analytics/queue.hpp"
#include "modules/analytics/rollup.hpp"
#include "modules/analytics/store.hpp"

namespace wp::analytics {

// The sender of a batch as the transport saw it.
struct Client {
  std::string ip;  // after trusted proxies
  std::string user_agent;
};

// What the read views need from other modules, set in app.cpp.
struct Hooks {
  // The uploader of a video; nullopt when there is no such video.
  std::function<std::optional<std::string>(const std::string& video_id)> video_owner;
  // The host of a party; nullopt when there is no such party.
  std::function<std::optional<std::string>(const std::string& party_id)> party_host;
  // Each viewer's furthest point in the video, percent (WatchTime, all contexts).
  std::function<std::vector<double>(const std::string& video_id)> completions;
  // This node's sockets and party rooms now (events_per_minute is the service's).
  std::function<NodeLive()> measure;
};

// A read's buckets: [from, to) in ms, by hour or day.
struct Range {
  Granularity granularity = Granularity::day;
  std::int64_t from = 0, to = 0;
};

struct VideoReport {
  std::vector<VideoBucket> buckets;
  VideoBucket totals;  // unique_viewers: the largest of a bucket (viewers are not additive)
  std::vector<double> retention;  // share of viewers at 0%, 5%, ..., 100%
  std::optional<double> average_completion;
  std::optional<double> party_share;  // of the watch time, watched in parties
};

struct PartyReport {
  std::vector<PartyBucket> buckets;  // members present per bucket: the curve at the range's granularity
  PartyBucket totals;                // members, peak_concurrent: the largest of a bucket
  std::optional<PartySummary> presence;  // over the party's whole life, once the rollup has seen it
};

struct BehaviorReport {
  std::optional<std::string> user_id;  // one user, or the aggregate of all (staff)
  std::vector<UserBucket> buckets;     // one user's
  std::vector<CountBucket> active_users;  // the aggregate's
  UserBucket totals;
  long long active_days = 0;
};

enum class Metric { daily_active_users, video_views };
struct PredictiveReport {
  Metric metric = Metric::daily_active_users;
  std::optional<std::string> video_id;
  std::int64_t first_day = 0;
  std::vector<double> history;  // one value per day from first_day to yesterday
  std::optional<Prediction> prediction;
};

enum class RollupKind { video, party, user };

class AnalyticsService {
 public:
  AnalyticsService(Store& store, RateLimiter& limiter, Settings settings);
  void set_hooks(Hooks hooks) { hooks_ = std::move(hooks); }
  void set_live_board(LiveBoard& board) { board_ = &board; }

  // A client batch: anonymous senders are limited per address (429). The good
  // events are committed before this returns; the bad ones are in rejects.
  Batch ingest(const Principal* user, const Client& client, const boost::json::array& events);

  // A wp::DomainEvents listener: copies into the queue, never blocks, never
  // throws; a full queue drops and counts. Safe on any thread.
  void record(const DomainEvent& event) noexcept;
  // Writes up to settings.write_batch queued events (the writer's thread);
  // returns how many were taken. A failed write loses them and is counted.
  std::size_t flush();
  // Partitions made ahead and dropped after the retention (PostgreSQL), or
  // old rows deleted (SQLite). At start and hourly.
  void maintain(std::int64_t now);
  // Brings the rollups up to `now` from the watermark (minus the late
  // window). Returns the start of what was recomputed, nullopt when no event exists.
  std::optional<std::int64_t> rollup(std::int64_t now);

  // The read views (service_reads.cpp). A video's: its uploader and staff.
  VideoReport video_report(const Principal& user, const std::string& video_id, const Range& range);
  // A party's: its host and staff.
  PartyReport party_report(const Principal& user, const std::string& party_id, const Range& range);
  // One's own; staff may name any user, or see the aggregate of all.
  BehaviorReport user_behavior(const Principal& user, const std::optional<std::string>& user_id, const Range& range);
  // Staff: the cohorts of the last `weeks` signup weeks (this one included) and their weekly retention.
  std::vector<Cohort> cohorts(const Principal& user, int weeks, std::int64_t now);
  // Staff: the live counts of every node, summed.
  LiveTotals real_time(const Principal& user);
  // Puts this node's live counts on the board (the live thread, every few seconds).
  void publish_live(const std::string& node_id);
  // Staff: a /ws/user/ socket of this node gets (on) or stops getting (off)
  // the totals every few seconds, and at once on subscribing; a renewal keeps it.
  void subscribe_live(const Principal& user, const std::string& socket_id, LiveSubscribers::Send send);
  void unsubscribe_live(const std::string& socket_id) { live_subscribers_.unsubscribe(socket_id); }
  // The totals to this node's subscribers (the live thread, after publish_live).
  void push_live();
  std::size_t live_subscribers() { return live_subscribers_.size(); }
  // Daily active users (staff) or a video's daily views (its uploader, staff), forecast.
  PredictiveReport predictive(const Principal& user, Metric metric, const std::optional<std::string>& video_id,
                              std::int64_t now);
  // Staff: a rollup's buckets in the range as CSV.
  std::string export_csv(const Principal& user, RollupKind kind, const Range& range);

  const EventQueue& queue() const { return queue_; }
  const Settings& settings() const { return settings_; }
  std::uint64_t ingested() const { return ingested_.load(); }
  std::uint64_t rejected() const { return rejected_.load(); }
  std::uint64_t written() const { return written_.load(); }
  std::uint64_t write_failures() const { return write_failures_.load(); }

 private:
  Store& store_;
  RateLimiter& limiter_;
  Settings settings_;
  EventQueue queue_;
  Hooks hooks_;
  LiveBoard* board_ = nullptr;
  RateOverMinute event_rate_;  // the live thread's only
  LiveSubscribers live_subscribers_;
  std::atomic<std::uint64_t> ingested_{0}, rejected_{0}, written_{0}, write_failures_{0};
};

}  // namespace wp::analytics

WP_ENUM_NAMES(wp::analytics::Metric, {wp::analytics::Metric::daily_active_users, "daily_active_users"},
              {wp::analytics::Metric::video_views, "video_views"});
WP_ENUM_NAMES(wp::analytics::RollupKind, {wp::analytics::RollupKind::video, "video"},
              {wp::analytics::RollupKind::party, "party"}, {wp::analytics::RollupKind::user, "user"});
