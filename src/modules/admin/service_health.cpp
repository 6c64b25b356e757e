// System health: this node's measurements, the heartbeat, and the view of
// every node seen in the last minute.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <chrono>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/metrics.hpp"
#include "modules/admin/service.hpp"

namespace wp::admin {

namespace {
constexpr std::int64_t kSeenWithinMs = 60 * 1000;
}

void AdminService::set_health(HealthProbes probes, NodeRegistry& registry) {
  probes_ = std::move(probes);
  registry_ = &registry;
}

NodeStats AdminService::local_stats() {
  NodeStats s;
  s.node_id = settings_.node_id;
  s.version = settings_.version;
  s.started_at = settings_.started_at;
  s.seen_at = now_ms();
  auto& db = store_.database();
  // Measured before borrowing a session for the ping, so the ping's own does not count.
  s.db_pool_in_use = static_cast<int>(db.in_use());
  s.db_pool_size = static_cast<int>(db.pool_size());
  auto t0 = std::chrono::steady_clock::now();
  bool db_ok = false;
  try {
    db_ok = db.ping();
  } catch (const Error& e) {
    spdlog::warn("health: database ping failed: {}", e.what());
  }
  if (db_ok) s.db_latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (probes_.redis) {
    auto r = probes_.redis();
    s.redis_configured = r.configured;
    s.redis_connected = r.connected;
    s.redis_latency_ms = r.latency_ms;
  }
  if (auto space = disk_space(settings_.data_dir)) {
    s.disk_free_bytes = space->first;
    s.disk_total_bytes = space->second;
  }
  if (probes_.sockets) {
    auto c = probes_.sockets();
    s.party_sockets = c.party;
    s.user_sockets = c.user;
  }
  s.http_connections = metrics().open_connections.load();
  if (probes_.blocking_queue) s.blocking_queue = probes_.blocking_queue();
  return s;
}

void AdminService::beat() {
  if (!registry_) return;
  registry_->beat(settings_.node_id, boost::json::serialize(node_stats_json(local_stats())));
}

Health AdminService::health(const Principal& me) {
  if (!me.staff()) throw_forbidden("Staff access is required.");
  Health h;
  h.self = local_stats();
  bool self_listed = false;
  if (registry_) {
    try {
      registry_->beat(h.self.node_id, boost::json::serialize(node_stats_json(h.self)));
      for (auto& text : registry_->all()) {
        auto n = parse_node_stats(text);
        if (!n || h.self.seen_at - n->seen_at > kSeenWithinMs) continue;
        if (n->node_id == h.self.node_id) {
          self_listed = true;
          h.nodes.push_back(h.self);
        } else {
          h.nodes.push_back(*n);
        }
      }
    } catch (const Error& e) {
      // Redis down: the answer still says what this node knows.
      spdlog::warn("health: node registry unavailable: {}", e.what());
    }
  }
  if (!self_listed) h.nodes.insert(h.nodes.begin(), h.self);
  h.queues = store_.queue_depths();
  return h;
}

}  // namespace wp::admin
