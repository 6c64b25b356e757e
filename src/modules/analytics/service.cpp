#include "modules/analytics/service.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/analytics/ingest.hpp"
#include "modules/analytics/partitions.hpp"
#include "modules/analytics/rollup.hpp"

namespace wp::analytics {

namespace {

constexpr std::int64_t kMinuteMs = 60'000;

std::optional<std::string> non_empty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

std::int64_t epoch_ms(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

}  // namespace

AnalyticsService::AnalyticsService(Store& store, RateLimiter& limiter, Settings settings)
    : store_(store), limiter_(limiter), settings_(settings), queue_(settings.queue_capacity) {}

Batch AnalyticsService::ingest(const Principal* user, const Client& client, const boost::json::array& events) {
  if (!user) {
    if (auto wait = limiter_.acquire("analytics:ip:" + client.ip, settings_.anonymous_limit, kMinuteMs))
      throw Error(ErrorCode::rate_limited, "Too many event batches from this address: log in or wait.")
          .with_retry_after(*wait);
  }
  if (events.empty()) throw_validation("events", "Send at least one event.");
  if (events.size() > settings_.max_batch)
    throw_validation("events", "At most " + std::to_string(settings_.max_batch) + " events per batch.");
  Origin origin;
  if (user) origin.user_id = user->id;
  origin.ip_address = settings_.truncate_ip ? truncate_ip(client.ip) : client.ip;
  origin.user_agent = client.user_agent.substr(0, 512);
  origin.now = now_ms();
  auto batch = check_batch(events, origin, settings_);
  store_.insert(batch.rows);
  ingested_ += batch.rows.size();
  rejected_ += batch.rejects.size();
  return batch;
}

void AnalyticsService::record(const DomainEvent& event) noexcept {
  try {
    EventRow row;
    row.id = new_uuid();
    row.event_type = event.type;
    row.event_name = event.type;
    if (!event.data_json.empty()) row.event_data = event.data_json;
    row.source = Source::server;
    row.user_id = non_empty(event.user_id);
    row.video_id = non_empty(event.video_id);
    row.party_id = non_empty(event.party_id);
    row.amount = event.amount;
    row.timestamp = epoch_ms(event.at);
    queue_.push(std::move(row));
  } catch (const std::bad_alloc&) {
    // Out of memory: this event is lost, the request that published it is not.
  }
}

std::size_t AnalyticsService::flush() {
  auto rows = queue_.take(settings_.write_batch);
  if (rows.empty()) return 0;
  try {
    store_.insert(rows);
    written_ += rows.size();
  } catch (const std::exception& e) {  // wp::Error or a driver's error: either way the rows are lost
    write_failures_ += rows.size();
    spdlog::warn("analytics: {} server events not written: {}", rows.size(), e.what());
  }
  return rows.size();
}

void AnalyticsService::maintain(std::int64_t now) {
  if (store_.postgresql()) {
    auto plan = plan_partitions(now, settings_.partitions_ahead, settings_.retention_days, store_.partitions());
    store_.apply(plan);
    for (auto& name : plan.drop) spdlog::info("analytics: dropped partition {} (past the retention)", name);
    return;
  }
  auto gone = store_.delete_before(now - std::int64_t{settings_.retention_days} * 86'400'000);
  if (gone > 0) spdlog::info("analytics: deleted {} events past the retention", gone);
}

std::optional<std::int64_t> AnalyticsService::rollup(std::int64_t now) {
  auto watermark = store_.watermark();
  auto since = rollup_since(watermark, watermark ? std::nullopt : store_.first_event(), settings_.late_window_ms);
  if (!since) return std::nullopt;
  store_.rollup(*since, now, party_presence);
  return since;
}

}  // namespace wp::analytics
