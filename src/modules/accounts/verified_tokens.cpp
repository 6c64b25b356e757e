#include "modules/accounts/verified_tokens.hpp"

#include <functional>

namespace wp::accounts {

VerifiedTokens::Shard& VerifiedTokens::shard_of(const std::string& token) {
  return shards_[std::hash<std::string>{}(token) % kShards];
}

std::optional<AccessClaims> VerifiedTokens::find(const std::string& token, std::int64_t now_s) {
  auto& s = shard_of(token);
  std::lock_guard lock(s.mu);
  auto it = s.by_token.find(token);
  if (it == s.by_token.end()) return std::nullopt;
  if (it->second.exp <= now_s) {
    s.by_token.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void VerifiedTokens::remember(const std::string& token, const AccessClaims& claims, std::int64_t now_s) {
  auto& s = shard_of(token);
  std::lock_guard lock(s.mu);
  if (s.by_token.size() >= kPerShard && !s.by_token.contains(token)) {
    std::erase_if(s.by_token, [&](const auto& kv) { return kv.second.exp <= now_s; });
    if (s.by_token.size() >= kPerShard) s.by_token.clear();
  }
  s.by_token.insert_or_assign(token, claims);
}

}  // namespace wp::accounts
