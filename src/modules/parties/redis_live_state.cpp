#include "modules/parties/redis_live_state.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace wp::parties {

namespace {

constexpr const char* kDay = "86400";

// KEYS: playback hash, room channel, buffering set. ARGV: expected version,
// new version, playback JSON, message, "1" to end the wait (empty the
// buffering set). Returns {1} when stored, else {0, stored JSON} (a newer one).
constexpr const char* kSwapScript = R"lua(
local v = redis.call('HGET', KEYS[1], 'v')
if v and tonumber(v) > tonumber(ARGV[1]) then return {0, redis.call('HGET', KEYS[1], 's')} end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
redis.call('EXPIRE', KEYS[1], 86400)
if ARGV[5] == '1' then redis.call('DEL', KEYS[3]) end
redis.call('PUBLISH', KEYS[2], ARGV[4])
return {1}
)lua";

// KEYS: presence set. ARGV: now, new expiry, then this node's members.
// Renews them, drops expired members and returns the users who have no
// live member left (to the one caller that dropped them).
constexpr const char* kRenewScript = R"lua(
for i = 3, #ARGV do redis.call('ZADD', KEYS[1], ARGV[2], ARGV[i]) end
redis.call('EXPIRE', KEYS[1], 86400)
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if #dead == 0 then return {} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local alive, gone, seen = {}, {}, {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do alive[string.match(m, '|(.*)$')] = true end
for _, m in ipairs(dead) do
  local u = string.match(m, '|(.*)$')
  if not alive[u] and not seen[u] then seen[u] = true; table.insert(gone, u) end
end
return gone
)lua";

// KEYS: buffering set. ARGV: user, "1" to add or "0" to remove. Returns {changed, remaining}.
constexpr const char* kBufferingScript = R"lua(
local c
if ARGV[2] == '1' then c = redis.call('SADD', KEYS[1], ARGV[1]) else c = redis.call('SREM', KEYS[1], ARGV[1]) end
redis.call('EXPIRE', KEYS[1], 86400)
return {c, redis.call('SCARD', KEYS[1])}
)lua";

// KEYS: presence set. ARGV: now, then users. Returns the number of distinct users with a live member
// (a member is "node|user": a user on two nodes has two), then 1 or 0 for each user given. Redis
// still walks the live members; what crosses the network is one integer per user asked about.
constexpr const char* kOnlineOfScript = R"lua(
local alive = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')
local users, n = {}, 0
for _, m in ipairs(alive) do
  local u = string.match(m, '|(.*)$')
  if not users[u] then users[u] = true; n = n + 1 end
end
local out = {n}
for i = 2, #ARGV do out[i] = users[ARGV[i]] and 1 or 0 end
return out
)lua";

}  // namespace

RedisLiveState::RedisLiveState(realtime::RedisNode& redis, std::chrono::milliseconds presence_ttl)
    : redis_(redis), ttl_(presence_ttl), node_(new_uuid()) {}

std::optional<std::string> RedisLiveState::swap_playback(const std::string& party, long long expected,
                                                         long long version, const std::string& playback_json,
                                                         const std::string& message, bool end_wait) {
  auto r = redis_.eval(kSwapScript,
                       {playback_key(party), redis_.key(realtime::room_channel(party)), buffering_key(party)},
                       {std::to_string(expected), std::to_string(version), playback_json, message, end_wait ? "1" : "0"});
  if (!r.elements.empty() && r.elements[0].integer == 1) return std::nullopt;
  if (r.elements.size() < 2) return std::string{};
  return r.elements[1].str;
}

std::optional<std::string> RedisLiveState::playback(const std::string& party) {
  auto r = redis_.call({"HGET", playback_key(party), "s"});
  if (r.kind != realtime::RedisReply::Kind::string) return std::nullopt;
  return r.str;
}

void RedisLiveState::set_online(const std::string& party, const std::string& user, bool online) {
  if (online) {
    redis_.call({"ZADD", presence_key(party), std::to_string(now_ms() + ttl_.count()), member(user)});
    redis_.call({"EXPIRE", presence_key(party), kDay});
  } else {
    redis_.call({"ZREM", presence_key(party), member(user)});
  }
}

LiveState::Online RedisLiveState::online_of(const std::string& party, const std::vector<std::string>& users) {
  std::vector<std::string> args{std::to_string(now_ms())};
  args.insert(args.end(), users.begin(), users.end());
  auto r = redis_.eval(kOnlineOfScript, {presence_key(party)}, args);
  Online out{0, std::vector<bool>(users.size(), false)};
  if (r.elements.empty()) return out;
  out.count = r.elements[0].integer;
  for (std::size_t i = 0; i < users.size() && i + 1 < r.elements.size(); ++i)
    out.among[i] = r.elements[i + 1].integer == 1;
  return out;
}

std::map<std::string, std::vector<std::string>> RedisLiveState::renew_presence(
    const std::map<std::string, std::vector<std::string>>& local) {
  std::map<std::string, std::vector<std::string>> gone;
  auto now = now_ms();
  for (auto& [party, users] : local) {
    std::vector<std::string> args{std::to_string(now), std::to_string(now + ttl_.count())};
    for (auto& u : users) args.push_back(member(u));
    auto r = redis_.eval(kRenewScript, {presence_key(party)}, args);
    for (auto& e : r.elements) gone[party].push_back(e.str);
  }
  return gone;
}

std::pair<bool, long long> RedisLiveState::set_buffering(const std::string& party, const std::string& user,
                                                         bool buffering) {
  auto r = redis_.eval(kBufferingScript, {buffering_key(party)}, {user, buffering ? "1" : "0"});
  if (r.elements.size() < 2) return {false, 0};
  return {r.elements[0].integer > 0, r.elements[1].integer};
}


}  // namespace wp::parties
