#pragma once
// Analytics: events from clients (a checked batch, written before the
// answer) and from the modules (wp::DomainEvents, queued and written in
// batches by the writer), and the retention of both.
#include <boost/json/array.hpp>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "core/domain_events.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "modules/analytics/model.hpp"
#include "modules/analytics/queue.hpp"
#include "modules/analytics/store.hpp"

namespace wp::analytics {

// The sender of a batch as the transport saw it.
struct Client {
  std::string ip;  // after trusted proxies
  std::string user_agent;
};

class AnalyticsService {
 public:
  AnalyticsService(Store& store, RateLimiter& limiter, Settings settings);

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
  std::atomic<std::uint64_t> ingested_{0}, rejected_{0}, written_{0}, write_failures_{0};
};

}  // namespace wp::analytics
