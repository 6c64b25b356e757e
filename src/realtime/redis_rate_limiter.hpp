#pragma once
// The sliding-window rate limiter on Redis (one sorted set of event times
// per key, Redis's clock), so that every node counts the same events.
#include "core/rate_limiter.hpp"
#include "realtime/redis_node.hpp"

namespace wp::realtime {

class RedisRateLimiter : public RateLimiter {
 public:
  explicit RedisRateLimiter(RedisNode& redis) : redis_(redis) {}
  void hit(const std::string& key, std::int64_t window_ms) override;
  std::optional<int> blocked_for(const std::string& key, int limit, std::int64_t window_ms) override;
  void reset(const std::string& key) override;
  std::optional<int> acquire(const std::string& key, int limit, std::int64_t window_ms) override;
  std::optional<int> hit_then_blocked_for(const std::string& key, int limit, std::int64_t window_ms) override;

 private:
  std::optional<int> run(const char* mode, const std::string& key, int limit, std::int64_t window_ms);
  std::string key_of(const std::string& key) const;
  RedisNode& redis_;
};

}  // namespace wp::realtime
