#pragma once
// System health: what one node measures of itself (NodeStats), the
// heartbeat that lets every node see the others (NodeRegistry: Redis, or
// this process alone), and the probes app.cpp wires (Redis, sockets, queues).
#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wp::admin {

struct NodeStats {
  std::string node_id, version;
  std::int64_t started_at = 0, seen_at = 0;
  double db_latency_ms = -1;  // -1: the database did not answer
  int db_pool_in_use = 0, db_pool_size = 0;
  bool redis_configured = false, redis_connected = false;
  std::optional<double> redis_latency_ms;
  std::optional<std::int64_t> disk_free_bytes, disk_total_bytes;
  long party_sockets = 0, user_sockets = 0, http_connections = 0;
  long blocking_queue = 0;
};

struct RedisProbe {
  bool configured = false, connected = false;
  std::optional<double> latency_ms;
};

struct SocketCounts {
  long party = 0, user = 0;
};

// What app.cpp hands in; each may be empty (that part reads as absent).
struct HealthProbes {
  std::function<RedisProbe()> redis;
  std::function<SocketCounts()> sockets;
  std::function<long()> blocking_queue;
};

// Where nodes leave their latest NodeStats (as JSON text) for the others.
class NodeRegistry {
 public:
  virtual ~NodeRegistry() = default;
  virtual void beat(const std::string& node_id, const std::string& stats_json) = 0;
  // Every node's latest beat; old ones are the caller's to filter by seen_at.
  virtual std::vector<std::string> all() = 0;
};

// One process, no Redis: the node sees only itself.
class LocalNodeRegistry : public NodeRegistry {
 public:
  void beat(const std::string& node_id, const std::string& stats_json) override;
  std::vector<std::string> all() override;

 private:
  std::mutex mu_;
  std::map<std::string, std::string> beats_;
};

// NodeStats as JSON (the heartbeat's text and each node's part of the answer).
boost::json::object node_stats_json(const NodeStats& s);
std::optional<NodeStats> parse_node_stats(const std::string& text);

// Free and total bytes of the file system holding `path`.
std::optional<std::pair<std::int64_t, std::int64_t>> disk_space(const std::string& path);

}  // namespace wp::admin
