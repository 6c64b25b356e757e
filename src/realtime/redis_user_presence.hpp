#pragma once
// User presence in Redis, shared by every node (docs/architecture.md,
// "Several nodes"): a hash per user of node -> heartbeat expiry, one sorted
// set of "<node>|<user>" by expiry to find the entries of dead nodes, the set
// of users told online, and a sorted set of users by when their offline is
// due. Each change is one Lua script, so two nodes never both announce.
// Every key expires a day after its last write. Two scripts reach users'
// hashes by name (the dead entries are found in the index): one Redis, not a
// Redis Cluster.
#include <chrono>

#include "realtime/redis_node.hpp"
#include "realtime/user_presence.hpp"

namespace wp::realtime {

class RedisUserPresence : public UserPresence {
 public:
  RedisUserPresence(RedisNode& redis, std::chrono::milliseconds ttl, std::chrono::milliseconds debounce);
  bool connect(const std::string& node, const std::string& user) override;
  void disconnect(const std::string& node, const std::string& user) override;
  void renew(const std::string& node, const std::vector<std::string>& users, bool restore) override;
  std::vector<std::string> take_offline() override;
  std::vector<bool> online(const std::vector<std::string>& users) override;

 private:
  std::string user_key(const std::string& user) const { return redis_.key("uon:" + user); }
  RedisNode& redis_;
  std::chrono::milliseconds ttl_, debounce_;
  std::string index_, announced_, due_;
};

}  // namespace wp::realtime
