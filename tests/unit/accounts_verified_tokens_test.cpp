// The per-service memory of verified access tokens (authenticate()).
#include <gtest/gtest.h>

#include <string>

#include "modules/accounts/verified_tokens.hpp"

namespace {

using wp::accounts::AccessClaims;
using wp::accounts::VerifiedTokens;

AccessClaims claims(const std::string& user, std::int64_t exp) { return {user, "s-" + user, "j-" + user, 0, exp}; }

TEST(VerifiedTokens, FindsARememberedTokenUntilItExpires) {
  VerifiedTokens v;
  v.remember("tok-a", claims("u1", 100), 10);
  ASSERT_TRUE(v.find("tok-a", 99));
  EXPECT_EQ(v.find("tok-a", 99)->sub, "u1");
  EXPECT_EQ(v.find("tok-a", 99)->sid, "s-u1");
  EXPECT_FALSE(v.find("tok-a", 100));
  EXPECT_FALSE(v.find("tok-a", 50));  // an expired entry is gone
}

TEST(VerifiedTokens, OnlyTheSameBytesFindAnEntry) {
  VerifiedTokens v;
  v.remember("tok-a", claims("u1", 100), 10);
  EXPECT_FALSE(v.find("tok-b", 10));
  EXPECT_FALSE(v.find("tok-a ", 10));
  EXPECT_FALSE(v.find("tok-", 10));
  EXPECT_FALSE(v.find("", 10));
}

TEST(VerifiedTokens, StaysBoundedAndKeepsTheNewest) {
  VerifiedTokens v;
  const auto total = VerifiedTokens::kShards * VerifiedTokens::kPerShard * 3;
  for (std::size_t i = 0; i < total; ++i) v.remember("tok-" + std::to_string(i), claims(std::to_string(i), 100), 10);
  auto last = std::to_string(total - 1);
  ASSERT_TRUE(v.find("tok-" + last, 10));
  EXPECT_EQ(v.find("tok-" + last, 10)->sub, last);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < total; ++i) kept += v.find("tok-" + std::to_string(i), 10) ? 1 : 0;
  EXPECT_LE(kept, VerifiedTokens::kShards * VerifiedTokens::kPerShard);
  EXPECT_GT(kept, 0u);
}

TEST(VerifiedTokens, ExpiredEntriesGoFirstWhenAShardIsFull) {
  VerifiedTokens v;
  const auto total = VerifiedTokens::kShards * VerifiedTokens::kPerShard;
  for (std::size_t i = 0; i < total; ++i) v.remember("old-" + std::to_string(i), claims("old", 20), 10);
  v.remember("live", claims("live", 1000), 10);
  // Half as many again: every shard overflows once (about 256 each, far from a second time).
  for (std::size_t i = 0; i < total / 2; ++i) v.remember("new-" + std::to_string(i), claims("new", 1000), 30);
  // The tokens expired by 30 went, the live one stayed.
  ASSERT_TRUE(v.find("live", 30));
  EXPECT_EQ(v.find("live", 30)->sub, "live");
}

}  // namespace
