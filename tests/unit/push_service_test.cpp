// The push rules on a temporary SQLite database: who owns which
// subscription, what enqueue makes, and the outbox's leases (one worker per
// row, a lost send failed rather than sent again, not_before and the TTL);
// and the retry policy on its own.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>
#include <thread>

#include "core/crypto.hpp"
#include "core/http_post.hpp"
#include "modules/push/ec_key.hpp"
#include "modules/push/ece.hpp"
#include "modules/push/web_push.hpp"
#include "modules/push/policy.hpp"
#include "modules/push/service.hpp"
#include "support/error_code.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::push;
using wp::ErrorCode;
using wp::parse_retry_after;
using wp::Principal;
using wp::testkit::error_code_of;

struct World {
  wp::testkit::TempDatabase tdb;
  Store store{*tdb.db};
  PushService push{store, WebPushSettings{generate_p256(), "mailto:t@example.com", 1000}, nullptr,
                   PushSettings{.allow_http_endpoints = true, .retry = {}, .lease_ms = 60000}};
  Principal user(const std::string& name) { return tdb.add_user(name + "_" + wp::new_uuid().substr(0, 6)); }
  SubscriptionRow subscribe(const Principal& p, const std::string& endpoint) {
    bool created = false;
    return push.subscribe(p, {endpoint, wp::crypto::base64url_encode(generate_p256().public_raw),
                              wp::crypto::base64url_encode(std::string(16, 'a')), "test"},
                          created);
  }
  wp::PushMessage message(const Principal& p, std::int64_t not_before = 0, int ttl = 3600) {
    wp::PushMessage m;
    m.user_id = p.id;
    m.title = "t";
    m.url = "/x";
    m.ttl_s = ttl;
    m.not_before_ms = not_before;
    return m;
  }
};

TEST(PushService, SubscriptionsBelongToTheirUserAndAnEndpointToOneRow) {
  World w;
  auto alice = w.user("alice"), bob = w.user("bob");
  auto sub = w.subscribe(alice, "https://push.example.net/a");
  EXPECT_EQ(w.push.subscriptions(alice).size(), 1u);
  EXPECT_EQ(error_code_of([&] { w.push.unsubscribe(bob, sub.id); }), ErrorCode::not_found);
  auto taken = w.subscribe(bob, "https://push.example.net/a");  // bob signed in on that browser
  EXPECT_EQ(taken.id, sub.id);
  EXPECT_TRUE(w.push.subscriptions(alice).empty());
  EXPECT_EQ(w.push.subscriptions(bob).size(), 1u);
  bool created = false;
  EXPECT_EQ(error_code_of([&] { w.push.subscribe(bob, {"https://x/y", "bad", "bad", ""}, created); }),
            ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { w.push.register_device(bob, "tok", "pager", created); }), ErrorCode::validation);
}

TEST(PushService, AnEndpointMustBeOnAPushServiceHost) {
  wp::testkit::TempDatabase tdb;
  Store store{*tdb.db};
  PushService push{store, WebPushSettings{generate_p256(), "mailto:t@example.com", 1000}, nullptr,
                   PushSettings{.allow_http_endpoints = false, .endpoint_hosts = {"push.services.mozilla.com"}}};
  auto alice = tdb.add_user("alice");
  auto subscribe = [&](const std::string& endpoint) {
    bool created = false;
    push.subscribe(alice, {endpoint, wp::crypto::base64url_encode(generate_p256().public_raw),
                           wp::crypto::base64url_encode(std::string(16, 'a')), "test"},
                   created);
  };
  auto try_endpoint = [&](const std::string& endpoint) { return error_code_of([&] { subscribe(endpoint); }); };
  EXPECT_NO_THROW(subscribe("https://push.services.mozilla.com/wpush/v2/x"));
  EXPECT_NO_THROW(subscribe("https://updates.PUSH.services.mozilla.com/wpush/v2/y"));
  // Not the host nor under it: the server would otherwise post wherever a client says.
  for (auto bad : {"https://169.254.169.254/latest", "https://127.0.0.1:8000/x", "https://evilpush.services.mozilla.com/x",
                   "https://push.services.mozilla.com.evil.net/x", "http://push.services.mozilla.com/x"})
    EXPECT_EQ(try_endpoint(bad), ErrorCode::validation) << bad;
}

TEST(PushService, EnqueueMakesOneRowPerSubscriptionAndNoneWithout) {
  World w;
  auto alice = w.user("alice"), bob = w.user("bob");
  w.subscribe(alice, "https://push.example.net/1");
  w.subscribe(alice, "https://push.example.net/2");
  int woken = 0;
  w.push.on_enqueued([&] { ++woken; });
  w.push.enqueue(w.message(alice));
  w.push.enqueue(w.message(bob));  // nobody to send to: nothing recorded
  long long count = 0;
  auto rows = w.push.pushes(alice, 10, 0, count);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(woken, 1);
  for (auto& r : rows) EXPECT_EQ(r.status, PushStatus::queued);
  w.push.pushes(bob, 10, 0, count);
  EXPECT_EQ(count, 0);
  // Device tokens are kept but skipped without FCM.
  bool created = false;
  w.push.register_device(bob, "tok", "android", created);
  EXPECT_EQ(error_code_of([&] { w.push.send_test(bob, {}); }), ErrorCode::conflict);
}

// A token registered again by another account (a shared phone) moves to it:
// what was queued for the previous owner must not reach the new one.
TEST(PushOutbox, APushQueuedBeforeATokenChangedHandsIsNotDeliveredToTheNewOwner) {
  World w;
  auto alice = w.user("alice"), bob = w.user("bob");
  bool created = false;
  auto now = wp::now_ms();
  // Due at the claim's own time: a due time read later may be a millisecond after it.
  auto fcm_push = [now](const Principal& p) {
    NewPush n;
    n.user_id = p.id;
    n.title = "t";
    n.ttl_s = 3600;
    n.due_at = now;
    return n;
  };
  w.push.register_device(alice, "shared-phone", "android", created);
  ASSERT_EQ(w.store.enqueue(fcm_push(alice), true, now), 1);
  w.push.register_device(bob, "shared-phone", "android", created);
  auto d = w.store.claim("a", {now, 60000, 5});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].push.user_id, alice.id);
  EXPECT_FALSE(d[0].device.has_value());
  w.store.release(d[0].push.id, "a");
  // Forgetting the token (mobile: the device removed) leaves nothing to send to: the claim fails the rows.
  ASSERT_EQ(w.store.enqueue(fcm_push(bob), true, now), 1);
  w.push.forget_device_token("shared-phone");
  EXPECT_TRUE(w.push.devices(bob).empty());
  EXPECT_TRUE(w.store.claim("b", {now, 60000, 5}).empty());
}

TEST(PushOutbox, AClaimLeasesEachRowToOneWorker) {
  World w;
  auto alice = w.user("alice");
  w.subscribe(alice, "https://push.example.net/1");
  for (int i = 0; i < 20; ++i) w.push.enqueue(w.message(alice));
  std::vector<std::vector<Delivery>> got(4);
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round) {
        auto batch = w.push.claim("w" + std::to_string(i), 3);
        got[i].insert(got[i].end(), batch.begin(), batch.end());
      }
    });
  for (auto& t : workers) t.join();
  std::set<std::string> ids;
  std::size_t total = 0;
  for (auto& g : got) {
    total += g.size();
    for (auto& d : g) {
      ids.insert(d.push.id);
      ASSERT_TRUE(d.subscription.has_value());
    }
  }
  EXPECT_EQ(total, 20u);
  EXPECT_EQ(ids.size(), 20u);
  EXPECT_TRUE(w.push.claim("late", 10).empty());
}

TEST(PushOutbox, OnlyTheHolderStartsAndALostSendIsFailedNotResent) {
  World w;
  auto alice = w.user("alice");
  w.subscribe(alice, "https://push.example.net/1");
  w.push.enqueue(w.message(alice));
  auto now = wp::now_ms();
  auto d = w.store.claim("a", {now, 1000, 1});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_FALSE(w.store.start_send(d[0].push.id, "b", now));
  ASSERT_TRUE(w.store.start_send(d[0].push.id, "a", now));
  // "a" dies mid-request; after the lease another claim fails the row instead of taking it.
  EXPECT_TRUE(w.store.claim("b", {now + 2000, 1000, 5}).empty());
  auto row = w.store.push_of(d[0].push.id, alice.id);
  EXPECT_EQ(row->status, PushStatus::failed);
  EXPECT_NE(row->error.find("worker stopped"), std::string::npos);
  EXPECT_EQ(w.store.attempts_of(row->id).size(), 1u);
  // A late answer of "a" is not recorded over it.
  EXPECT_FALSE(w.store.finish(d[0], "a", Outcome{Verdict::sent, 201, "", 0}, now, now + 3000));
}

TEST(PushOutbox, ALeaseNeverStartedIsTakenOverAndAReleasedRowIsFree) {
  World w;
  auto alice = w.user("alice");
  w.subscribe(alice, "https://push.example.net/1");
  w.push.enqueue(w.message(alice));
  auto now = wp::now_ms();
  auto first = w.store.claim("a", {now, 1000, 1});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(w.store.claim("b", {now + 500, 1000, 1}).empty());
  auto taken = w.store.claim("b", {now + 1500, 1000, 1});
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_FALSE(w.store.start_send(first[0].push.id, "a", now + 1600));
  w.store.release(taken[0].push.id, "b");
  EXPECT_EQ(w.store.claim("c", {now + 1600, 1000, 1}).size(), 1u);
}

TEST(PushOutbox, NotBeforeHoldsARowAndAnExpiredOneFails) {
  World w;
  auto alice = w.user("alice");
  w.subscribe(alice, "https://push.example.net/1");
  auto now = wp::now_ms();
  w.push.enqueue(w.message(alice, now + 60000, 10));
  EXPECT_TRUE(w.store.claim("a", {now, 1000, 5}).empty());
  EXPECT_EQ(w.store.claim("a", {now + 60000, 1000, 5}).size(), 1u);
  w.push.enqueue(w.message(alice, 0, 10));
  // Expired a minute after its TTL ran out (TTL 0 still goes out once).
  EXPECT_TRUE(w.store.claim("a", {now + 10000 + 60000 + 70000, 1000, 5}).empty());
  long long count = 0;
  auto rows = w.push.pushes(alice, 10, 0, count);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].status, PushStatus::failed);
  EXPECT_NE(rows[0].error.find("expired"), std::string::npos);
}

TEST(PushOutbox, ATtlOfZeroIsSentOnceAtOnce) {
  World w;
  auto alice = w.user("alice");
  w.subscribe(alice, "https://push.example.net/1");
  w.push.enqueue(w.message(alice, 0, 0));
  EXPECT_EQ(w.store.claim("a", {wp::now_ms() + 1000, 60000, 5}).size(), 1u);
}

TEST(PushOutbox, GoneDeletesTheSubscriptionAndFailsItsOtherRows) {
  World w;
  auto alice = w.user("alice");
  w.subscribe(alice, "https://push.example.net/1");
  w.push.enqueue(w.message(alice));
  w.push.enqueue(w.message(alice));
  auto now = wp::now_ms();
  auto d = w.store.claim("a", {now, 1000, 1});
  ASSERT_TRUE(w.store.start_send(d[0].push.id, "a", now));
  ASSERT_TRUE(w.store.finish(d[0], "a", Outcome{Verdict::gone, 410, "HTTP 410", 0}, now, now));
  EXPECT_TRUE(w.push.subscriptions(alice).empty());
  EXPECT_TRUE(w.store.claim("a", {now, 1000, 5}).empty());
  long long count = 0;
  for (auto& r : w.push.pushes(alice, 10, 0, count)) EXPECT_EQ(r.status, PushStatus::failed);
}

TEST(PushOutbox, RetentionDeletesOnlySettledRowsPastTheCutoff) {
  World w;
  auto alice = w.user("alice");
  w.subscribe(alice, "https://push.example.net/1");
  w.push.enqueue(w.message(alice));
  w.push.enqueue(w.message(alice));
  auto now = wp::now_ms();
  auto d = w.store.claim("a", {now, 1000, 1});
  ASSERT_TRUE(w.store.start_send(d[0].push.id, "a", now));
  ASSERT_TRUE(w.store.finish(d[0], "a", Outcome{Verdict::sent, 201, "", 0}, now, now));
  EXPECT_EQ(w.store.purge_settled(now - 1), 0);
  EXPECT_EQ(w.store.purge_settled(now + 1), 1);  // the queued one stays, however old
  long long count = 0;
  auto rows = w.push.pushes(alice, 10, 0, count);
  ASSERT_EQ(count, 1);
  EXPECT_EQ(rows[0].status, PushStatus::queued);
  EXPECT_TRUE(w.store.attempts_of(d[0].push.id).empty());
}

// ---------------------------------------------------------------- the policy

TEST(PushPolicy, AnswersMapToVerdicts) {
  RetryRules rules{.max_attempts = 3, .base_ms = 1000, .max_backoff_ms = 3600000};
  auto at = [&](SendResult r, int attempt = 1) { return decide(r, attempt, rules, 0, 1'000'000); };
  EXPECT_EQ(at({201}).verdict, Verdict::sent);
  EXPECT_EQ(at({410}).verdict, Verdict::gone);
  EXPECT_EQ(at({404}).verdict, Verdict::gone);
  EXPECT_EQ(at({400, "bad"}).verdict, Verdict::failed);
  EXPECT_EQ(at({403}).verdict, Verdict::failed);
  EXPECT_EQ(at({413}).verdict, Verdict::failed);
  SendResult unregistered{400};
  unregistered.unregistered = true;
  EXPECT_EQ(at(unregistered).verdict, Verdict::gone);
  SendResult refused_token{401};
  refused_token.transient = true;
  EXPECT_EQ(at(refused_token).verdict, Verdict::retry);
  // 5xx, 429 and no answer: backoff doubling per attempt, until none are left.
  EXPECT_EQ(at({503}, 1).next_attempt_at, 1000);
  EXPECT_EQ(at({500}, 2).next_attempt_at, 2000);
  EXPECT_EQ(at({0, "timeout"}, 2).verdict, Verdict::retry);
  EXPECT_EQ(at({503}, 3).verdict, Verdict::failed);
  // Retry-After wins over the backoff, but not past the TTL.
  SendResult slow{429};
  slow.retry_after_s = 30;
  EXPECT_EQ(at(slow).next_attempt_at, 30000);
  slow.retry_after_s = 5000;
  EXPECT_EQ(at(slow).verdict, Verdict::failed);
}

TEST(PushPolicy, RetryAfterIsSecondsOrAnHttpDate) {
  EXPECT_EQ(parse_retry_after("120", 1000), 120);
  EXPECT_EQ(parse_retry_after("-5", 1000), 0);
  // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 30), 30);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 30), 0);
  EXPECT_FALSE(parse_retry_after("soon", 0).has_value());
  EXPECT_FALSE(parse_retry_after("", 0).has_value());
}

TEST(PushPayload, FitsOneRecordDroppingDataThenCuttingTheBody) {
  PushRow p;
  p.id = "id";
  p.title = "Title";
  p.body = "short";
  p.url = "/parties/1";
  p.data = R"({"party_id":"1"})";
  auto small = boost::json::parse(push_payload(p)).as_object();
  EXPECT_EQ(small.at("data").as_object().at("party_id").as_string(), "1");
  EXPECT_EQ(small.at("url").as_string(), "/parties/1");
  p.data = R"({"blob":")" + std::string(5000, 'x') + R"("})";
  auto no_data = boost::json::parse(push_payload(p)).as_object();
  EXPECT_TRUE(no_data.at("data").as_object().empty());
  EXPECT_EQ(no_data.at("body").as_string(), "short");
  p.body = std::string(4000, 'y');
  auto text = push_payload(p);
  EXPECT_LE(text.size(), kMaxPlaintext);
  auto cut = boost::json::parse(text).as_object();
  EXPECT_LT(cut.at("body").as_string().size(), 4000u);
  EXPECT_EQ(cut.at("title").as_string(), "Title");
}

}  // namespace
