#pragma once
// The analytics threads: the writer (queued server events to the database,
// in batches, off the I/O threads) and the hourly maintenance (partitions,
// retention). Each is a wp::Periodic of its own.
#include <chrono>

#include "core/periodic.hpp"
#include "modules/analytics/service.hpp"

namespace wp::analytics {

class Writer {
 public:
  Writer(AnalyticsService& service, std::chrono::milliseconds flush_every);

  void start();
  // Writes what is still queued, then stops.
  void stop();
  // A full batch is waiting: write now rather than at the next interval.
  void wake() { flush_.wake(); }

 private:
  AnalyticsService& service_;
  Periodic flush_;
  Periodic maintenance_;
};

// The analytics counters and gauges in /metrics.
void add_metrics(const AnalyticsService& service);

}  // namespace wp::analytics
