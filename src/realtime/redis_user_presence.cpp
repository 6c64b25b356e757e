#include "realtime/redis_user_presence.hpp"

#include "core/clock.hpp"

namespace wp::realtime {

namespace {

// Every script starts with this: whether a user's hash still has an entry
// that has not expired.
constexpr const char* kLive = R"lua(
local function live(key, now)
  for _, v in ipairs(redis.call('HVALS', key)) do if tonumber(v) > now then return true end end
  return false
end
)lua";

// KEYS: user hash, index, announced set, due set. ARGV: node, user, expiry.
// Returns 1 when the user was not told online yet.
constexpr const char* kConnect = R"lua(
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('EXPIRE', KEYS[1], 86400)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1] .. '|' .. ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[2])
local added = redis.call('SADD', KEYS[3], ARGV[2])
for i = 2, 3 do redis.call('EXPIRE', KEYS[i], 86400) end
return added
)lua";

// KEYS: user hash, index, due set. ARGV: node, user, now, due time.
constexpr const char* kDisconnect = R"lua(
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1] .. '|' .. ARGV[2])
if not live(KEYS[1], tonumber(ARGV[3])) then
  redis.call('ZADD', KEYS[3], 'NX', ARGV[4], ARGV[2])
  redis.call('EXPIRE', KEYS[3], 86400)
end
return 0
)lua";

// KEYS: index, then one user hash per user. ARGV: node, expiry, "1" to
// restore missing entries, then the users (in the order of their keys).
constexpr const char* kRenew = R"lua(
for i = 2, #KEYS do
  local user = ARGV[i + 2]
  if ARGV[3] == '1' or redis.call('HEXISTS', KEYS[i], ARGV[1]) == 1 then
    redis.call('HSET', KEYS[i], ARGV[1], ARGV[2])
    redis.call('EXPIRE', KEYS[i], 86400)
    redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1] .. '|' .. user)
  end
end
redis.call('EXPIRE', KEYS[1], 86400)
return 0
)lua";

// KEYS: index, announced set, due set. ARGV: user hash prefix, now, debounce.
// Drops the entries of dead nodes (scheduling those users' offline), then
// pops the due users and returns those still offline.
constexpr const char* kTakeOffline = R"lua(
local now = tonumber(ARGV[2])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if #dead > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  for _, m in ipairs(dead) do
    local node, user = string.match(m, '^([^|]*)|(.*)$')
    local key = ARGV[1] .. user
    local expiry = redis.call('HGET', key, node)
    if expiry and tonumber(expiry) <= now then redis.call('HDEL', key, node) end
    if not live(key, now) then redis.call('ZADD', KEYS[3], 'NX', now + tonumber(ARGV[3]), user) end
  end
  redis.call('EXPIRE', KEYS[3], 86400)
end
local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
if #due == 0 then return {} end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local gone = {}
for _, user in ipairs(due) do
  if not live(ARGV[1] .. user, now) then
    redis.call('SREM', KEYS[2], user)
    table.insert(gone, user)
  end
end
return gone
)lua";

// KEYS: user hashes. ARGV: now. Returns 1 or 0 per key.
constexpr const char* kOnline = R"lua(
local out = {}
for i = 1, #KEYS do out[i] = live(KEYS[i], tonumber(ARGV[1])) and 1 or 0 end
return out
)lua";

std::string script(const char* body) { return std::string(kLive) + body; }

}  // namespace

RedisUserPresence::RedisUserPresence(RedisNode& redis, std::chrono::milliseconds ttl,
                                     std::chrono::milliseconds debounce)
    : redis_(redis),
      ttl_(ttl),
      debounce_(debounce),
      index_(redis.key("uon")),
      announced_(redis.key("uann")),
      due_(redis.key("uoff")) {}

bool RedisUserPresence::connect(const std::string& node, const std::string& user) {
  auto r = redis_.eval(script(kConnect), {user_key(user), index_, announced_, due_},
                       {node, user, std::to_string(now_ms() + ttl_.count())});
  return r.integer == 1;
}

void RedisUserPresence::disconnect(const std::string& node, const std::string& user) {
  auto now = now_ms();
  redis_.eval(script(kDisconnect), {user_key(user), index_, due_},
              {node, user, std::to_string(now), std::to_string(now + debounce_.count())});
}

void RedisUserPresence::renew(const std::string& node, const std::vector<std::string>& users, bool restore) {
  constexpr std::size_t kBatch = 500;  // keeps each script short; Redis runs one at a time
  auto expiry = std::to_string(now_ms() + ttl_.count());
  for (std::size_t from = 0; from < users.size(); from += kBatch) {
    std::vector<std::string> keys{index_}, args{node, expiry, restore ? "1" : "0"};
    for (std::size_t i = from; i < std::min(users.size(), from + kBatch); ++i) {
      keys.push_back(user_key(users[i]));
      args.push_back(users[i]);
    }
    redis_.eval(script(kRenew), keys, args);
  }
}

std::vector<std::string> RedisUserPresence::take_offline() {
  auto r = redis_.eval(script(kTakeOffline), {index_, announced_, due_},
                       {redis_.key("uon:"), std::to_string(now_ms()), std::to_string(debounce_.count())});
  std::vector<std::string> gone;
  for (auto& e : r.elements) gone.push_back(e.str);
  return gone;
}

std::vector<bool> RedisUserPresence::online(const std::vector<std::string>& users) {
  std::vector<bool> out;
  if (users.empty()) return out;
  std::vector<std::string> keys;
  for (auto& u : users) keys.push_back(user_key(u));
  auto r = redis_.eval(script(kOnline), keys, {std::to_string(now_ms())});
  for (std::size_t i = 0; i < users.size(); ++i) out.push_back(i < r.elements.size() && r.elements[i].integer == 1);
  return out;
}

}  // namespace wp::realtime
