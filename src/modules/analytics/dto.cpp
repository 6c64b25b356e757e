#include "modules/analytics/dto.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"

namespace wp::analytics {

namespace json = boost::json;

json::object batch_json(const Batch& batch) {
  json::array rejected;
  for (auto& r : batch.rejects) {
    json::object errors;
    for (auto& [field, message] : r.errors) {
      auto& list = errors[field];
      if (!list.is_array()) list = json::array();
      list.as_array().push_back(json::string(message));
    }
    rejected.push_back(json::object{{"index", r.index}, {"errors", std::move(errors)}});
  }
  return {{"accepted", batch.rows.size()},
          {"rejected", std::move(rejected)},
          {"event_types_version", kEventTypesVersion}};
}

json::object event_types_json() {
  json::array types;
  for (auto& [value, name] : enum_names<EventType>.items) types.push_back(json::string(name));
  return {{"version", kEventTypesVersion}, {"event_types", std::move(types)}};
}

namespace {

json::value maybe(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object range_json(const Range& range) {
  return {{"granularity", to_string(range.granularity)},
          {"from", to_rfc3339(range.from)},
          {"to", to_rfc3339(range.to)}};
}

json::object video_bucket_json(const VideoBucket& b) {
  return {{"views", b.views},           {"unique_viewers", b.unique_viewers},
          {"watch_time", b.watch_time}, {"party_watch_time", b.party_watch_time},
          {"likes", b.likes},           {"comments", b.comments}};
}

json::object user_bucket_json(const UserBucket& b) {
  return {{"events", b.events},
          {"watch_time", b.watch_time},
          {"parties_hosted", b.parties_hosted},
          {"parties_joined", b.parties_joined},
          {"social", b.social}};
}

json::value ratio(std::int64_t num, std::int64_t den) {
  return den > 0 ? json::value(static_cast<double>(num) / static_cast<double>(den)) : json::value(nullptr);
}

json::object party_bucket_json(const PartyBucket& b) {
  return {{"members", b.members},
          {"peak_concurrent", b.peak_concurrent},
          {"average_concurrent", ratio(b.member_ms, b.live_ms)},
          {"present_at_end", b.present_at_end},
          {"joins", b.joins},
          {"leaves", b.leaves},
          {"messages", b.messages},
          {"reactions", b.reactions},
          {"polls", b.polls},
          {"watch_time", b.watch_time},
          {"sync_drift", json::object{{"reports", b.drift_reports},
                                      {"mean_abs_ms", ratio(b.drift_abs_ms_sum, b.drift_reports)},
                                      {"max_abs_ms", b.drift_abs_ms_max}}}};
}

json::value presence_json(const std::optional<PartySummary>& p) {
  if (!p) return nullptr;
  json::value points = json::parse(p->curve_json);
  return json::object{{"started_at", to_rfc3339(p->started_at)},
                      {"ended_at", p->present_now > 0 ? json::value(nullptr) : json::value(to_rfc3339(p->ended_at))},
                      {"live", p->present_now > 0},
                      {"members", p->members},
                      {"peak_concurrent", p->peak},
                      {"average_concurrent", ratio(p->member_ms, p->live_ms)},
                      {"present_now", p->present_now},
                      {"left_early", p->left_early},
                      {"drop_off", ratio(p->left_early, p->members)},
                      {"curve", json::object{{"slot_seconds", p->slot_ms / 1000}, {"members", std::move(points)}}}};
}

json::array numbers(const std::vector<double>& v) {
  json::array out;
  for (double x : v) out.push_back(x);
  return out;
}

}  // namespace

json::object video_report_json(const std::string& video_id, const Range& range, const VideoReport& r) {
  json::array series;
  for (auto& b : r.buckets) {
    auto o = video_bucket_json(b);
    o["bucket_start"] = to_rfc3339(b.bucket_start);
    series.push_back(std::move(o));
  }
  json::array retention;
  for (std::size_t i = 0; i < r.retention.size(); ++i)
    retention.push_back(json::object{{"percent", static_cast<int>(i) * 5}, {"share", r.retention[i]}});
  return {{"video_id", video_id},
          {"range", range_json(range)},
          {"totals", video_bucket_json(r.totals)},
          {"series", std::move(series)},
          {"average_completion", maybe(r.average_completion)},
          {"retention", std::move(retention)},
          {"party_share", maybe(r.party_share)}};
}

json::object party_report_json(const std::string& party_id, const Range& range, const PartyReport& r) {
  json::array series;
  for (auto& b : r.buckets) {
    auto o = party_bucket_json(b);
    o["bucket_start"] = to_rfc3339(b.bucket_start);
    series.push_back(std::move(o));
  }
  return {{"party_id", party_id},
          {"range", range_json(range)},
          {"totals", party_bucket_json(r.totals)},
          {"series", std::move(series)},
          {"presence", presence_json(r.presence)}};
}

json::object behavior_json(const Range& range, const BehaviorReport& r) {
  json::array series;
  for (auto& b : r.buckets) {
    auto o = user_bucket_json(b);
    o["bucket_start"] = to_rfc3339(b.bucket_start);
    series.push_back(std::move(o));
  }
  for (auto& b : r.active_users)
    series.push_back(json::object{{"bucket_start", to_rfc3339(b.bucket_start)}, {"active_users", b.count}});
  auto totals = user_bucket_json(r.totals);
  totals[r.user_id ? "active_days" : "active_user_days"] = r.active_days;
  return {{"user_id", r.user_id ? json::value(*r.user_id) : json::value(nullptr)},
          {"range", range_json(range)},
          {"totals", std::move(totals)},
          {"series", std::move(series)}};
}

json::object cohorts_json(int weeks, const std::vector<Cohort>& cohorts) {
  json::array out;
  for (auto& c : cohorts) {
    json::array retention;
    for (std::size_t k = 0; k < c.active.size(); ++k)
      retention.push_back(json::object{{"week", k}, {"active", c.active[k]}, {"share", c.share[k]}});
    out.push_back(json::object{{"week_start", to_rfc3339(c.week_start).substr(0, 10)},
                               {"size", c.size},
                               {"retention", std::move(retention)}});
  }
  return {{"weeks", weeks}, {"week_starts", "monday"}, {"cohorts", std::move(out)}};
}

json::object live_json(const LiveTotals& t, std::int64_t at) {
  return {{"at", to_rfc3339(at)},
          {"nodes", t.nodes},
          {"sockets", t.sockets},
          {"watching_now", t.watching_now},
          {"active_parties", t.active_parties},
          {"events_per_minute", t.events_per_minute}};
}

json::object predictive_json(const PredictiveReport& r) {
  json::array history;
  for (std::size_t i = 0; i < r.history.size(); ++i)
    history.push_back(json::object{{"date", to_rfc3339(r.first_day + static_cast<std::int64_t>(i) * kDayMs).substr(0, 10)},
                                   {"value", r.history[i]}});
  json::object out{{"metric", to_string(r.metric)},
                   {"video_id", r.video_id ? json::value(*r.video_id) : json::value(nullptr)},
                   {"model", "holt_winters_additive"},
                   {"season_days", kSeason},
                   {"interval", 0.8},
                   {"history", std::move(history)}};
  if (!r.prediction) {
    out["forecast"] = nullptr;
    out["reason"] = "At least " + std::to_string(2 * kSeason) + " days of data are needed.";
    return out;
  }
  auto& p = *r.prediction;
  const auto first = r.first_day + static_cast<std::int64_t>(r.history.size()) * kDayMs;
  json::array forecast;
  for (std::size_t h = 0; h < p.point.size(); ++h)
    forecast.push_back(json::object{{"date", to_rfc3339(first + static_cast<std::int64_t>(h) * kDayMs).substr(0, 10)},
                                    {"value", p.point[h]},
                                    {"lower", p.lower[h]},
                                    {"upper", p.upper[h]}});
  out["forecast"] = std::move(forecast);
  out["parameters"] = json::object{{"alpha", p.fit.params.alpha},
                                   {"beta", p.fit.params.beta},
                                   {"gamma", p.fit.params.gamma},
                                   {"level", p.fit.level},
                                   {"trend", p.fit.trend},
                                   {"season", numbers(p.fit.season)},
                                   {"sigma", p.fit.sigma}};
  out["backtest"] = json::object{{"held_out_days", 28}, {"mape", maybe(p.mape)}};
  return out;
}

}  // namespace wp::analytics
