#include "core/rate_limiter.hpp"

#include "core/clock.hpp"

namespace wp {

void MemoryRateLimiter::prune(std::deque<std::int64_t>& q, std::int64_t now, std::int64_t window_ms) {
  while (!q.empty() && q.front() <= now - window_ms) q.pop_front();
}

const std::deque<std::int64_t>& MemoryRateLimiter::record(const std::string& key, std::int64_t now,
                                                           std::int64_t window_ms) {
  // Forget idle keys now and then, so that memory follows live traffic only.
  if (now - last_sweep_ > window_ms) {
    last_sweep_ = now;
    for (auto it = events_.begin(); it != events_.end();) {
      prune(it->second, now, window_ms);
      it = it->second.empty() ? events_.erase(it) : std::next(it);
    }
  }
  auto& q = events_[key];
  prune(q, now, window_ms);
  q.push_back(now);
  return q;
}

void MemoryRateLimiter::hit(const std::string& key, std::int64_t window_ms) {
  std::lock_guard lock(mu_);
  record(key, now_ms(), window_ms);
}

std::optional<int> MemoryRateLimiter::hit_then_blocked_for(const std::string& key, int limit,
                                                           std::int64_t window_ms) {
  std::lock_guard lock(mu_);
  auto now = now_ms();
  return wait(record(key, now, window_ms), limit, window_ms, now);
}

std::optional<int> MemoryRateLimiter::blocked_for(const std::string& key, int limit, std::int64_t window_ms) {
  std::lock_guard lock(mu_);
  auto it = events_.find(key);
  if (it == events_.end()) return std::nullopt;
  auto now = now_ms();
  prune(it->second, now, window_ms);
  return wait(it->second, limit, window_ms, now);
}

std::optional<int> MemoryRateLimiter::wait(const std::deque<std::int64_t>& q, int limit, std::int64_t window_ms,
                                           std::int64_t now) {
  if (static_cast<int>(q.size()) < limit) return std::nullopt;
  // Blocked until the oldest event that keeps the count at the limit leaves the window.
  auto oldest = q[q.size() - static_cast<std::size_t>(limit)];
  auto ms = oldest + window_ms - now;
  return static_cast<int>((ms + 999) / 1000);
}

std::optional<int> MemoryRateLimiter::acquire(const std::string& key, int limit, std::int64_t window_ms) {
  {
    std::lock_guard lock(mu_);
    auto now = now_ms();
    auto& q = events_[key];
    prune(q, now, window_ms);
    if (auto w = wait(q, limit, window_ms, now)) return w;
  }
  hit(key, window_ms);
  return std::nullopt;
}

void MemoryRateLimiter::reset(const std::string& key) {
  std::lock_guard lock(mu_);
  events_.erase(key);
}

}  // namespace wp
