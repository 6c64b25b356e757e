#pragma once
// Access tokens this node verified lately. A client sends the same token with
// every request until it refreshes it: the second time, its HMAC and its JSON
// need no work. Keyed by the whole token, so only the very same bytes find an
// entry; an entry serves until the token's exp. The secret never changes for
// the life of the service that owns the cache.
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "modules/accounts/jwt.hpp"

namespace wp::accounts {

class VerifiedTokens {
 public:
  // The claims of token if it was verified before and is not expired at now_s.
  std::optional<AccessClaims> find(const std::string& token, std::int64_t now_s);
  // At a shard's capacity, its expired entries go, and if none had, the shard starts over.
  void remember(const std::string& token, const AccessClaims& claims, std::int64_t now_s);

  static constexpr std::size_t kShards = 8;
  static constexpr std::size_t kPerShard = 512;

 private:
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, AccessClaims> by_token;
  };
  Shard& shard_of(const std::string& token);
  std::array<Shard, kShards> shards_;
};

}  // namespace wp::accounts
