// The per-node cache of authenticate()'s session lookup.
#include <gtest/gtest.h>

#include "modules/accounts/principal_cache.hpp"

namespace {

using wp::accounts::PrincipalCache;
using wp::accounts::SessionPrincipal;

SessionPrincipal session(const std::string& id, const std::string& user) {
  SessionPrincipal p;
  p.session_id = id;
  p.user_id = user;
  p.username = user;
  p.is_active = true;
  return p;
}

TEST(PrincipalCache, KeepsAnEntryForMaxAgeOnly) {
  PrincipalCache cache(1000, 10);
  cache.put(session("s1", "u1"), cache.epoch(), 5000);
  ASSERT_TRUE(cache.get("s1", 5999));
  EXPECT_EQ(cache.get("s1", 5999)->user_id, "u1");
  EXPECT_FALSE(cache.get("s1", 6000));
  EXPECT_FALSE(cache.get("s2", 5000));
}

TEST(PrincipalCache, MaxAgeZeroKeepsNothing) {
  PrincipalCache cache(0, 10);
  cache.put(session("s1", "u1"), cache.epoch(), 5000);
  EXPECT_FALSE(cache.get("s1", 5000));
}

TEST(PrincipalCache, DropUserForgetsOnlyThatUsersSessions) {
  PrincipalCache cache(1000, 10);
  auto e = cache.epoch();
  cache.put(session("s1", "u1"), e, 0);
  cache.put(session("s2", "u1"), e, 0);
  cache.put(session("s3", "u2"), e, 0);
  cache.drop_user("u1");
  EXPECT_FALSE(cache.get("s1", 1));
  EXPECT_FALSE(cache.get("s2", 1));
  EXPECT_TRUE(cache.get("s3", 1));
  cache.clear();
  EXPECT_FALSE(cache.get("s3", 1));
}

// A lookup that read the database before a revocation must not put back what
// the revocation dropped.
TEST(PrincipalCache, ALookupBegunBeforeADropIsNotKept) {
  PrincipalCache cache(1000, 10);
  auto before = cache.epoch();
  cache.drop_user("u1");
  cache.put(session("s1", "u1"), before, 0);
  EXPECT_FALSE(cache.get("s1", 1));
  cache.put(session("s1", "u1"), cache.epoch(), 0);
  EXPECT_TRUE(cache.get("s1", 1));
}

TEST(PrincipalCache, AtCapacityExpiredEntriesGoFirstThenEverything) {
  PrincipalCache cache(1000, 2);
  cache.put(session("old", "u1"), cache.epoch(), 0);
  cache.put(session("s2", "u2"), cache.epoch(), 900);
  cache.put(session("s3", "u3"), cache.epoch(), 1000);  // "old" has expired: it alone goes
  EXPECT_TRUE(cache.get("s2", 1000));
  EXPECT_TRUE(cache.get("s3", 1000));
  cache.put(session("s4", "u4"), cache.epoch(), 1100);  // none expired: the cache starts over
  EXPECT_FALSE(cache.get("s2", 1100));
  EXPECT_FALSE(cache.get("s3", 1100));
  EXPECT_TRUE(cache.get("s4", 1100));
}

}  // namespace
