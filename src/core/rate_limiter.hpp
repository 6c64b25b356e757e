#pragma once
// Counts events per key in a sliding window: in this process, or in Redis
// (realtime/redis_rate_limiter) so that limits hold across nodes.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace wp {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Records one event for key.
  virtual void hit(const std::string& key, std::int64_t window_ms) = 0;
  // If key has reached limit events in the window: seconds until one expires.
  virtual std::optional<int> blocked_for(const std::string& key, int limit, std::int64_t window_ms) = 0;
  virtual void reset(const std::string& key) = 0;
  // Records one event unless key has reached limit in the window; then the seconds to wait.
  virtual std::optional<int> acquire(const std::string& key, int limit, std::int64_t window_ms) = 0;
  // hit, then blocked_for, as one step (one Redis round trip): records one
  // event, then, if key has reached limit in the window with it, the seconds
  // until one expires.
  virtual std::optional<int> hit_then_blocked_for(const std::string& key, int limit, std::int64_t window_ms) = 0;
};

class MemoryRateLimiter : public RateLimiter {
 public:
  void hit(const std::string& key, std::int64_t window_ms) override;
  std::optional<int> blocked_for(const std::string& key, int limit, std::int64_t window_ms) override;
  void reset(const std::string& key) override;
  std::optional<int> acquire(const std::string& key, int limit, std::int64_t window_ms) override;
  std::optional<int> hit_then_blocked_for(const std::string& key, int limit, std::int64_t window_ms) override;

 private:
  // hit with mu_ held; the key's events after it.
  const std::deque<std::int64_t>& record(const std::string& key, std::int64_t now, std::int64_t window_ms);
  void prune(std::deque<std::int64_t>& q, std::int64_t now, std::int64_t window_ms);
  static std::optional<int> wait(const std::deque<std::int64_t>& q, int limit, std::int64_t window_ms, std::int64_t now);
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<std::int64_t>> events_;
  std::int64_t last_sweep_ = 0;
};

}  // namespace wp
