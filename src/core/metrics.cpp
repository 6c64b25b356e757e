#include "core/metrics.hpp"

#include <fmt/format.h>

namespace wp {

Metrics& metrics() {
  static Metrics m;
  return m;
}

// The process has one Metrics (metrics()), alive until exit, so a thread's
// shard pointer never dangles.
Metrics::Shard& Metrics::my_shard() {
  thread_local Shard* mine = nullptr;
  if (!mine) {
    std::lock_guard lock(mu_);
    mine = shards_.emplace_back(std::make_unique<Shard>()).get();
  }
  return *mine;
}

void Metrics::merge(std::map<RequestKey, std::uint64_t>& requests, std::map<std::string, Histogram>& latency) const {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    for (auto& [key, n] : shard->requests) requests[key] += n;
    for (auto& [route, h] : shard->latency) {
      auto& sum = latency[route];
      for (std::size_t i = 0; i < h.buckets.size(); ++i) sum.buckets[i] += h.buckets[i];
      sum.count += h.count;
      sum.sum += h.sum;
    }
  }
}

void Metrics::observe_request(const std::string& route, const std::string& method, int status, double seconds) {
  auto& shard = my_shard();
  std::lock_guard lock(shard.mu);
  ++shard.requests[{route, method, status}];
  auto& h = shard.latency[route];
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
    if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

namespace {
// Label values are route patterns and methods we produce ourselves; escape anyway.
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::map<RequestKey, std::uint64_t> requests;
  std::map<std::string, Histogram> latency;
  merge(requests, latency);
  std::string out;
  out += "# HELP watchparty_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE watchparty_http_requests_total counter\n";
  for (auto& [key, n] : requests) {
    auto& [route, method, status] = key;
    out += fmt::format("watchparty_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       label(route), label(method), status, n);
  }
  out += "# HELP watchparty_http_request_duration_seconds Time from request read to response ready.\n";
  out += "# TYPE watchparty_http_request_duration_seconds histogram\n";
  for (auto& [route, h] : latency) {
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
      out += fmt::format("watchparty_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         label(route), kLatencyBuckets[i], h.buckets[i]);
    out += fmt::format("watchparty_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       label(route), h.count);
    out += fmt::format("watchparty_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label(route), h.sum);
    out += fmt::format("watchparty_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label(route), h.count);
  }
  out += "# HELP watchparty_open_connections Open HTTP connections.\n# TYPE watchparty_open_connections gauge\n";
  out += fmt::format("watchparty_open_connections {}\n", open_connections.load());
  out += "# HELP watchparty_open_websockets Open WebSocket connections.\n# TYPE watchparty_open_websockets gauge\n";
  out += fmt::format("watchparty_open_websockets {}\n", open_websockets.load());
  for (auto& g : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name, g.read());
  }
  return out;
}

Metrics::Snapshot Metrics::snapshot() const {
  std::lock_guard lock(mu_);
  Snapshot out;
  std::map<RequestKey, std::uint64_t> requests;
  merge(requests, out.latency);
  for (auto& [key, n] : requests) {
    out.requests += n;
    if (std::get<2>(key) >= 500) out.server_errors += n;
  }
  out.gauges.emplace_back("watchparty_open_connections", static_cast<double>(open_connections.load()));
  out.gauges.emplace_back("watchparty_open_websockets", static_cast<double>(open_websockets.load()));
  for (auto& g : gauges_) out.gauges.emplace_back(g.name, g.read());
  return out;
}

}  // namespace wp
