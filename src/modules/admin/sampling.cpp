#include "modules/admin/sampling.hpp"

#include <cmath>

namespace wp::admin {

double p99_ms(const Metrics::Histogram& before, const Metrics::Histogram& now) {
  if (now.count <= before.count) return 0;
  const auto total = now.count - before.count;
  const auto want = static_cast<std::uint64_t>(std::ceil(0.99 * static_cast<double>(total)));
  for (std::size_t i = 0; i < Metrics::kLatencyBuckets.size(); ++i)
    if (now.buckets[i] - before.buckets[i] >= want) return Metrics::kLatencyBuckets[i] * 1000;
  return Metrics::kLatencyBuckets.back() * 1000;
}

std::vector<MetricPoint> points_between(const Metrics::Snapshot& before, const Metrics::Snapshot& now, double seconds,
                                        const std::string& node_id, std::int64_t taken_at) {
  std::vector<MetricPoint> out;
  auto add = [&](std::string name, std::string label, double value) {
    out.push_back({node_id, std::move(name), std::move(label), value, taken_at});
  };
  if (seconds > 0) {
    add("http_requests_per_s", "", static_cast<double>(now.requests - before.requests) / seconds);
    add("http_5xx_per_s", "", static_cast<double>(now.server_errors - before.server_errors) / seconds);
  }
  static const Metrics::Histogram kEmpty{};
  for (auto& [route, h] : now.latency) {
    auto was = before.latency.find(route);
    const auto& prev = was == before.latency.end() ? kEmpty : was->second;
    if (h.count > prev.count) add("http_p99_ms", route, p99_ms(prev, h));
  }
  constexpr std::string_view kPrefix = "watchparty_";
  for (auto& [name, value] : now.gauges)
    add(name.rfind(kPrefix, 0) == 0 ? name.substr(kPrefix.size()) : name, "", value);
  return out;
}

}  // namespace wp::admin
