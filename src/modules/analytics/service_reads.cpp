// The read views of AnalyticsService: a video's report, user behavior, the
// live counts, the forecasts and the exports.
#include <algorithm>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "modules/analytics/csv.hpp"
#include "modules/analytics/partitions.hpp"
#include "modules/analytics/retention.hpp"
#include "modules/analytics/service.hpp"

namespace wp::analytics {

namespace {
constexpr std::int64_t kLiveFreshMs = 15'000;
constexpr int kForecastDays = 14;
constexpr int kHistoryDays = 365;

void require_staff(const Principal& user) {
  if (!user.staff()) throw_forbidden("Only staff may see this.");
}

VideoBucket video_totals(const std::vector<VideoBucket>& buckets) {
  VideoBucket t;
  for (auto& b : buckets) {
    t.views += b.views;
    t.unique_viewers = std::max(t.unique_viewers, b.unique_viewers);  // not additive: the largest bucket's
    t.watch_time += b.watch_time;
    t.party_watch_time += b.party_watch_time;
    t.likes += b.likes;
    t.comments += b.comments;
  }
  return t;
}

PartyBucket party_totals(const std::vector<PartyBucket>& buckets) {
  PartyBucket t;
  for (auto& b : buckets) {
    t.members = std::max(t.members, b.members);  // not additive: the largest bucket's
    t.peak_concurrent = std::max(t.peak_concurrent, b.peak_concurrent);
    t.joins += b.joins;
    t.leaves += b.leaves;
    t.messages += b.messages;
    t.reactions += b.reactions;
    t.polls += b.polls;
    t.watch_time += b.watch_time;
    t.drift_reports += b.drift_reports;
    t.drift_abs_ms_sum += b.drift_abs_ms_sum;
    t.drift_abs_ms_max = std::max(t.drift_abs_ms_max, b.drift_abs_ms_max);
    t.member_ms += b.member_ms;
    t.live_ms += b.live_ms;
  }
  if (!buckets.empty()) t.present_at_end = buckets.back().present_at_end;
  return t;
}

UserBucket user_totals(const std::vector<UserBucket>& buckets) {
  UserBucket t;
  for (auto& b : buckets) {
    t.events += b.events;
    t.watch_time += b.watch_time;
    t.parties_hosted += b.parties_hosted;
    t.parties_joined += b.parties_joined;
    t.social += b.social;
  }
  return t;
}

// One value per day in [first_day, first_day + days), zero where no bucket is.
std::vector<double> daily_series(const std::vector<CountBucket>& buckets, std::int64_t first_day, int days) {
  std::vector<double> out(static_cast<std::size_t>(days), 0.0);
  for (auto& b : buckets) {
    auto i = (b.bucket_start - first_day) / kDayMs;
    if (i >= 0 && i < days) out[static_cast<std::size_t>(i)] = static_cast<double>(b.count);
  }
  return out;
}

}  // namespace

VideoReport AnalyticsService::video_report(const Principal& user, const std::string& video_id, const Range& range) {
  auto owner = hooks_.video_owner ? hooks_.video_owner(video_id) : std::nullopt;
  if (!owner) throw_not_found("Video not found.");
  if (*owner != user.id && !user.staff()) throw_forbidden("Only the video's uploader and staff see its analytics.");
  VideoReport r;
  r.buckets = store_.video_buckets(video_id, range.granularity, range.from, range.to);
  r.totals = video_totals(r.buckets);
  if (r.totals.watch_time > 0)
    r.party_share = static_cast<double>(r.totals.party_watch_time) / static_cast<double>(r.totals.watch_time);
  auto furthest = hooks_.completions ? hooks_.completions(video_id) : std::vector<double>{};
  r.retention = retention_curve(furthest);
  r.average_completion = average_completion(furthest);
  return r;
}

PartyReport AnalyticsService::party_report(const Principal& user, const std::string& party_id, const Range& range) {
  auto host = hooks_.party_host ? hooks_.party_host(party_id) : std::nullopt;
  if (!host) throw_not_found("Party not found.");
  if (*host != user.id && !user.staff()) throw_forbidden("Only the party's host and staff see its analytics.");
  PartyReport r;
  r.buckets = store_.party_buckets(party_id, range.granularity, range.from, range.to);
  r.totals = party_totals(r.buckets);
  r.totals.party_id = party_id;
  r.presence = store_.party_summary(party_id);
  return r;
}

BehaviorReport AnalyticsService::user_behavior(const Principal& user, const std::optional<std::string>& user_id,
                                               const Range& range) {
  BehaviorReport r;
  if (!user.staff()) {
    if (user_id && *user_id != user.id) throw_forbidden("Only staff may see another user's behavior.");
    r.user_id = user.id;
  } else {
    r.user_id = user_id;
  }
  const auto day_from = day_start_ms(range.from), day_to = day_start_ms(range.to - 1) + kDayMs;
  if (r.user_id) {
    r.buckets = store_.user_buckets(r.user_id, range.granularity, range.from, range.to);
    auto days = store_.user_buckets(r.user_id, Granularity::day, day_from, day_to);
    r.totals = user_totals(days);
    r.totals.user_id = *r.user_id;
    r.active_days = static_cast<long long>(days.size());
    return r;
  }
  r.active_users = store_.active_users(range.granularity, range.from, range.to);
  auto days = store_.user_buckets(std::nullopt, Granularity::day, day_from, day_to);
  r.totals = user_totals(days);
  r.active_days = static_cast<long long>(days.size());  // user-days
  return r;
}

std::vector<Cohort> AnalyticsService::cohorts(const Principal& user, int weeks, std::int64_t now) {
  require_staff(user);
  const auto current = week_index(now), first = current - (weeks - 1);
  const auto from = week_start(first), to = week_start(current + 1);
  return cohort_table(store_.cohort_sizes(from, to), store_.cohort_activity(from, to), first, current);
}

LiveTotals AnalyticsService::real_time(const Principal& user) {
  require_staff(user);
  if (!board_) return {};
  return sum_live(board_->all(), now_ms(), kLiveFreshMs);
}

void AnalyticsService::publish_live(const std::string& node_id) {
  if (!board_) return;
  NodeLive n = hooks_.measure ? hooks_.measure() : NodeLive{};
  n.node_id = node_id;
  n.at = now_ms();
  n.events_per_minute = event_rate_.add(n.at, ingested() + queue_.accepted());
  board_->put(n);
}

void AnalyticsService::subscribe_live(const Principal& user, const std::string& socket_id, LiveSubscribers::Send send) {
  require_staff(user);
  const auto now = now_ms();
  // Read the board first: when Redis is away the client gets an error and no subscription.
  const auto totals = board_ ? sum_live(board_->all(), now, kLiveFreshMs) : LiveTotals{};
  auto first = send;
  if (!live_subscribers_.subscribe(socket_id, std::move(send), now))
    throw Error(ErrorCode::unavailable, "Too many live dashboards on this node; try again later.");
  first(totals, now);
}

void AnalyticsService::push_live() {
  const auto now = now_ms();
  if (!board_ || !live_subscribers_.any(now)) return;
  live_subscribers_.send_all(sum_live(board_->all(), now, kLiveFreshMs), now);
}

PredictiveReport AnalyticsService::predictive(const Principal& user, Metric metric,
                                              const std::optional<std::string>& video_id, std::int64_t now) {
  PredictiveReport r;
  r.metric = metric;
  const auto today = day_start_ms(now);
  r.first_day = today - std::int64_t{kHistoryDays} * kDayMs;
  std::vector<CountBucket> buckets;
  if (metric == Metric::video_views) {
    if (!video_id) throw_validation("video_id", "Name the video whose views to forecast.");
    auto owner = hooks_.video_owner ? hooks_.video_owner(*video_id) : std::nullopt;
    if (!owner) throw_not_found("Video not found.");
    if (*owner != user.id && !user.staff()) throw_forbidden("Only the video's uploader and staff see its forecast.");
    r.video_id = video_id;
    buckets = store_.daily_views(*video_id, r.first_day, today);
  } else {
    require_staff(user);
    buckets = store_.active_users(Granularity::day, r.first_day, today);
  }
  // From the first day with data: a leading run of zeros is "not yet", not "nobody".
  if (!buckets.empty()) r.first_day = buckets.front().bucket_start;
  const int days = static_cast<int>((today - r.first_day) / kDayMs);
  r.history = buckets.empty() ? std::vector<double>{} : daily_series(buckets, r.first_day, days);
  r.prediction = predict(r.history, kForecastDays);
  return r;
}

std::string AnalyticsService::export_csv(const Principal& user, RollupKind kind, const Range& range) {
  require_staff(user);
  switch (kind) {
    case RollupKind::video: return to_csv(store_.video_buckets(std::nullopt, range.granularity, range.from, range.to));
    case RollupKind::party: return to_csv(store_.party_buckets(std::nullopt, range.granularity, range.from, range.to));
    case RollupKind::user: break;
  }
  return to_csv(store_.user_buckets(std::nullopt, range.granularity, range.from, range.to));
}

}  // namespace wp::analytics
