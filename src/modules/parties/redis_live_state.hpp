#pragma once
// The live state of parties in Redis, shared by every node: playback as a
// hash {v, s} changed by a Lua compare-and-set that also publishes it,
// presence as a sorted set of "<node>|<user>" scored by when this node's
// heartbeat expires, and buffering as a set.
#include <chrono>
#include <functional>

#include "modules/parties/live_state.hpp"
#include "realtime/redis_node.hpp"

namespace wp::parties {

class RedisLiveState : public LiveState {
 public:
  RedisLiveState(realtime::RedisNode& redis, std::chrono::milliseconds presence_ttl);
  std::optional<std::string> swap_playback(const std::string& party, long long expected, long long version,
                                           const std::string& playback_json, const std::string& message,
                                           bool end_wait) override;
  std::optional<std::string> playback(const std::string& party) override;
  void set_online(const std::string& party, const std::string& user, bool online) override;
  Online online_of(const std::string& party, const std::vector<std::string>& users) override;
  std::map<std::string, std::vector<std::string>> renew_presence(
      const std::map<std::string, std::vector<std::string>>& local) override;
  std::pair<bool, long long> set_buffering(const std::string& party, const std::string& user, bool buffering) override;
  // The shared keys stay for the other nodes and expire a day after their last use.
  void forget(const std::string&) override {}

 private:
  std::string member(const std::string& user) const { return node_ + "|" + user; }
  std::string playback_key(const std::string& party) const { return redis_.key("pb:" + party); }
  std::string presence_key(const std::string& party) const { return redis_.key("on:" + party); }
  std::string buffering_key(const std::string& party) const { return redis_.key("buf:" + party); }
  realtime::RedisNode& redis_;
  std::chrono::milliseconds ttl_;
  std::string node_;
};

}  // namespace wp::parties
