// Sessions' last-seen times: gathered by authentication, written per round.
#include <gtest/gtest.h>

#include "core/rate_limiter.hpp"
#include "modules/accounts/service.hpp"
#include "modules/accounts/session_touches.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp;
using accounts::SessionTouches;

TEST(SessionTouches, KeepsTheLatestTimePerSessionAndEmptiesOnTake) {
  SessionTouches t(10);
  EXPECT_TRUE(t.note("a", 5));
  EXPECT_TRUE(t.note("a", 3));
  EXPECT_TRUE(t.note("b", 7));
  auto taken = t.take();
  ASSERT_EQ(taken.size(), 2u);
  for (const auto& x : taken) EXPECT_EQ(x.at, x.session_id == "a" ? 5 : 7);
  EXPECT_TRUE(t.take().empty());
}

TEST(SessionTouches, WhenFullOnlyNewSessionsAreRefused) {
  SessionTouches t(2);
  EXPECT_TRUE(t.note("a", 1));
  EXPECT_TRUE(t.note("b", 1));
  EXPECT_FALSE(t.note("c", 1));
  EXPECT_TRUE(t.note("a", 2));  // already counted
  t.take();
  EXPECT_TRUE(t.note("c", 3));
}

struct DiscardedMail : Mailer {
  void send(const Mail&) override {}
};

struct TouchFixture : ::testing::Test {
  testkit::TempDatabase tmp;
  DiscardedMail mail;
  MemoryRateLimiter limiter;
  accounts::Store store{*tmp.db};
  accounts::AccountsService service{store, tmp.config, mail, limiter};

  std::int64_t last_seen(const std::string& user_id) {
    long long count = 0;
    auto rows = service.sessions(user_id, 10, 0, count);
    return rows.at(0).last_seen_at;
  }
  void set_last_seen(std::int64_t at) {
    long long t = at;
    tmp.db->with([&](soci::session& s) { s << "UPDATE user_sessions SET last_seen_at = :t", soci::use(t); });
  }
};

TEST_F(TouchFixture, AuthenticationNotesTheSessionAndTheRoundWritesIt) {
  auto tokens = service.register_user({"ann", "ann@example.com", "correct horse battery", "Ann", "Lee"},
                                      {"127.0.0.1", "unit"});
  auto who = service.authenticate(tokens.access_token);
  set_last_seen(1000);  // long ago: the next request is due to touch it
  service.forget_all_sessions();  // as when the session the node kept has expired
  auto before = now_ms();
  service.authenticate(tokens.access_token);
  service.authenticate(tokens.access_token);
  EXPECT_EQ(last_seen(who.id), 1000) << "written by the request itself";
  service.flush_session_touches();
  EXPECT_GE(last_seen(who.id), before);
}

TEST_F(TouchFixture, AnOlderTimeNeverMovesLastSeenBack) {
  auto tokens = service.register_user({"bob", "bob@example.com", "correct horse battery", "Bob", "Ray"},
                                      {"127.0.0.1", "unit"});
  auto who = service.authenticate(tokens.access_token);
  set_last_seen(5000);
  store.touch_sessions({{who.session_id, 4000}});
  EXPECT_EQ(last_seen(who.id), 5000);
  store.touch_sessions({{who.session_id, 6000}});
  EXPECT_EQ(last_seen(who.id), 6000);
}

}  // namespace
