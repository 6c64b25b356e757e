#pragma once
// The analytics threads, each a wp::Periodic: the writer (queued server
// events to the database in batches, off the I/O threads), the rollups
// (from the watermark), the live counts (this node's, on the board every few
// seconds) and the hourly maintenance (partitions, retention).
#include <chrono>
#include <string>

#include "core/periodic.hpp"
#include "modules/analytics/service.hpp"

namespace wp::analytics {

struct Intervals {
  std::chrono::milliseconds flush{500};
  std::chrono::milliseconds rollup{60'000};
  std::chrono::milliseconds live{2'000};
};

class Writer {
 public:
  Writer(AnalyticsService& service, Intervals intervals, std::string node_id);

  void start();
  // Writes what is still queued, then stops.
  void stop();
  // A full batch is waiting: write now rather than at the next interval.
  void wake() { flush_.wake(); }

 private:
  AnalyticsService& service_;
  std::string node_id_;
  Periodic flush_;
  Periodic rollups_;
  Periodic live_;
  Periodic maintenance_;
};

// The analytics counters and gauges in /metrics.
void add_metrics(const AnalyticsService& service);

}  // namespace wp::analytics
