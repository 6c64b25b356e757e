#include "realtime/redis_rate_limiter.hpp"

#include "core/ids.hpp"

namespace wp::realtime {

namespace {

// ARGV: window ms, limit, a unique member, mode (hit: record; check: only
// look; acquire: record unless blocked; hitcheck: record, then look).
// Returns the ms to wait, or 0.
constexpr const char* kWindowScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window, limit, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local record = function()
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
end
if mode == 'hitcheck' then record() end
local n = redis.call('ZCARD', KEYS[1])
if mode ~= 'hit' and n >= limit then
  local e = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  return math.max(1, tonumber(e[2]) + window - now)
end
if mode == 'hit' or mode == 'acquire' then record() end
return 0
)lua";

}  // namespace

std::string RedisRateLimiter::key_of(const std::string& key) const { return redis_.key("rl:" + key); }

std::optional<int> RedisRateLimiter::run(const char* mode, const std::string& key, int limit, std::int64_t window_ms) {
  auto r = redis_.eval(kWindowScript, {key_of(key)},
                       {std::to_string(window_ms), std::to_string(limit), new_uuid(), mode});
  if (r.integer <= 0) return std::nullopt;
  return static_cast<int>((r.integer + 999) / 1000);
}

void RedisRateLimiter::hit(const std::string& key, std::int64_t window_ms) { run("hit", key, 0, window_ms); }

std::optional<int> RedisRateLimiter::blocked_for(const std::string& key, int limit, std::int64_t window_ms) {
  return run("check", key, limit, window_ms);
}

std::optional<int> RedisRateLimiter::acquire(const std::string& key, int limit, std::int64_t window_ms) {
  return run("acquire", key, limit, window_ms);
}

std::optional<int> RedisRateLimiter::hit_then_blocked_for(const std::string& key, int limit, std::int64_t window_ms) {
  return run("hitcheck", key, limit, window_ms);
}

void RedisRateLimiter::reset(const std::string& key) { redis_.call({"DEL", key_of(key)}); }

}  // namespace wp::realtime
