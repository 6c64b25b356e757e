#pragma once
// Process-wide counters rendered in the Prometheus text format.
#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace wp {

class Metrics {
 public:
  static constexpr std::array<double, 12> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                             0.05,   0.1,   0.25,   0.5,   1.0,   5.0};

  void observe_request(const std::string& route, const std::string& method, int status, double seconds);

  std::atomic<long> open_connections{0};
  std::atomic<long> open_websockets{0};

  // Gauges read at render time (queue depths and the like).
  void add_gauge(std::string name, std::string help, std::function<double()> read);

  std::string render() const;

  // Cumulative buckets (bucket i counts requests of at most kLatencyBuckets[i] seconds).
  struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  // The counters and gauges at one instant, for a sampler that keeps them
  // (the admin module's PerformanceMetric): totals since start, so a rate or
  // a percentile over an interval is the difference of two snapshots.
  struct Snapshot {
    std::uint64_t requests = 0;
    std::uint64_t server_errors = 0;  // status 5xx
    std::map<std::string, Histogram> latency;  // by route
    std::vector<std::pair<std::string, double>> gauges;  // open_connections, open_websockets and add_gauge's
  };
  Snapshot snapshot() const;

 private:
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  using RequestKey = std::tuple<std::string, std::string, int>;  // route, method, status
  // One per thread that answers requests, so that two I/O threads never
  // wait on one lock for every request; reading merges them.
  struct Shard {
    std::mutex mu;
    std::map<RequestKey, std::uint64_t> requests;
    std::map<std::string, Histogram> latency;
  };
  Shard& my_shard();
  // Every shard's counts summed (the caller holds mu_).
  void merge(std::map<RequestKey, std::uint64_t>& requests, std::map<std::string, Histogram>& latency) const;

  mutable std::mutex mu_;  // shards_ and gauges_
  std::vector<std::unique_ptr<Shard>> shards_;  // never shrinks: a thread's shard outlives it
  std::vector<Gauge> gauges_;
};

Metrics& metrics();

}  // namespace wp
