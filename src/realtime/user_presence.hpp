#pragma once
// Who has a /ws/user/ socket open on some node, as every node must agree on
// it, and when a user's "offline" is due. Follows the party presence design:
// each node holds an entry per user it serves, renewed by heartbeats and
// dropped when its node stops renewing (killed, cut off). A user who loses
// their last entry goes offline only after a debounce, so that a page reload
// (close, then open again within the debounce) changes nothing.
// MemoryUserPresence is one process (or several simulated nodes in tests);
// RedisUserPresence (redis_user_presence.hpp) is shared by every node.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace wp::realtime {

class UserPresence {
 public:
  virtual ~UserPresence() = default;
  // The first socket of `user` on `node` opened. True when the user was not
  // online before (friends must be told); false when they were, or their
  // offline was still pending (a reload): nothing to tell.
  virtual bool connect(const std::string& node, const std::string& user) = 0;
  // The last socket of `user` on `node` closed. When no node serves the user
  // any more, their offline becomes due after the debounce.
  virtual void disconnect(const std::string& node, const std::string& user) = 0;
  // Heartbeat: `node` still serves these users. With `restore`, entries that
  // are missing are written again (the shared state was lost); otherwise only
  // existing ones are renewed, so a heartbeat racing a disconnect cannot
  // bring a user back.
  virtual void renew(const std::string& node, const std::vector<std::string>& users, bool restore) = 0;
  // Drops the entries of nodes that stopped renewing (as a disconnect would),
  // then returns the users whose offline is due and who are still offline.
  // Each is returned once, to one caller on one node.
  virtual std::vector<std::string> take_offline() = 0;
  virtual std::vector<bool> online(const std::vector<std::string>& users) = 0;
};

using Clock = std::function<std::int64_t()>;  // epoch ms

class MemoryUserPresence : public UserPresence {
 public:
  MemoryUserPresence(std::chrono::milliseconds ttl, std::chrono::milliseconds debounce, Clock clock = {});
  bool connect(const std::string& node, const std::string& user) override;
  void disconnect(const std::string& node, const std::string& user) override;
  void renew(const std::string& node, const std::vector<std::string>& users, bool restore) override;
  std::vector<std::string> take_offline() override;
  std::vector<bool> online(const std::vector<std::string>& users) override;

 private:
  bool live(const std::string& user, std::int64_t now) const;
  void schedule_offline_if_gone(const std::string& user, std::int64_t now);

  const std::int64_t ttl_ms_, debounce_ms_;
  Clock clock_;
  std::mutex mu_;
  std::map<std::string, std::map<std::string, std::int64_t>> entries_;  // user -> node -> expiry
  std::set<std::string> announced_;                                     // told online, not yet offline
  std::map<std::string, std::int64_t> due_;                             // user -> when offline is due
};

}  // namespace wp::realtime
