#pragma once
// The heartbeat of every node in one Redis hash ("admin:nodes": node id ->
// its latest NodeStats). Entries of nodes gone for an hour are removed by
// whichever node reads them.
#include "modules/admin/health.hpp"
#include "realtime/redis_node.hpp"

namespace wp::admin {

class RedisNodeRegistry : public NodeRegistry {
 public:
  explicit RedisNodeRegistry(realtime::RedisNode& redis) : redis_(redis) {}
  void beat(const std::string& node_id, const std::string& stats_json) override;
  std::vector<std::string> all() override;

 private:
  realtime::RedisNode& redis_;
};

}  // namespace wp::admin
