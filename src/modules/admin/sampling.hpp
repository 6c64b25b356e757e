#pragma once
// PerformanceMetric points from two snapshots of the process metrics: rates
// and per-route p99 over the interval between them, and the gauges as they are.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "modules/admin/model.hpp"

namespace wp::admin {

// Series names: "http_requests_per_s", "http_5xx_per_s", "http_p99_ms" (label:
// the route), "open_websockets" and the other gauges without "watchparty_",
// "queue_<name>" for the job queues.
std::vector<MetricPoint> points_between(const Metrics::Snapshot& before, const Metrics::Snapshot& now, double seconds,
                                        const std::string& node_id, std::int64_t taken_at);
// The p99 in milliseconds of the requests counted between two cumulative
// histograms: the upper bound of the first bucket that holds 99 % of them
// (the largest bound when they lie beyond it); 0 when there were none.
double p99_ms(const Metrics::Histogram& before, const Metrics::Histogram& now);

}  // namespace wp::admin
