// BillingService on a real SQLite database: plan limits through the grace
// period, events handled once, coin packs credited through wp::CoinSink,
// credit notes for refunds.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "modules/billing/money.hpp"
#include "modules/billing/service.hpp"
#include "modules/billing/signature.hpp"
#include "support/error_code.hpp"
#include "support/recording_notifier.hpp"
#include "support/temp_db.hpp"

namespace wp::billing {
namespace {

namespace json = boost::json;
using testkit::error_code_of;

class FakeProvider : public PaymentProvider {
 public:
  bool configured() const override { return true; }
  std::string create_customer(const std::string& user_id, const std::string&) override { return "cus_" + user_id; }
  CheckoutSession create_checkout(const CheckoutRequest& r) override {
    last = r;
    auto id = "cs_" + std::to_string(++sessions);
    return {id, "https://pay.example/" + id};
  }
  std::string portal_url(const std::string& customer, const std::string&) override { return "https://portal/" + customer; }
  void cancel_at_period_end(const std::string& id) override { canceled.push_back(id); }
  CheckoutRequest last;
  int sessions = 0;
  std::vector<std::string> canceled;
};

class RecordingSink : public CoinSink {
 public:
  void credit_purchase(const std::string& user_id, std::int64_t coins, const std::string& ref) override {
    std::lock_guard lock(mu);
    credits.push_back({user_id, coins, ref});
  }
  struct Credit {
    std::string user_id;
    std::int64_t coins;
    std::string ref;
  };
  std::mutex mu;
  std::vector<Credit> credits;
};

const char* kFile = R"(
[tax_rates]
DE = 1900
[plans.free]
max_party_size = 3
voice_above_mesh = false
[plans.premium]
price = 499
max_party_size = 50
[[coin_packs]]
id = "coins_500"
coins = 500
price = 499
)";

struct World {
  testkit::TempDatabase tdb;
  Store store{*tdb.db};
  FakeProvider provider;
  RecordingSink sink;
  testkit::RecordingNotifier notices;
  Settings settings = [] {
    Settings s;
    s.webhook_secret = "whsec_unit";
    s.grace_period_ms = 60'000;
    return s;
  }();
  BillingService svc{store, provider, Catalog::from_toml(kFile, "test"), settings};
  std::atomic<int> events{0};  // send() runs on several threads in the concurrency test

  World() {
    svc.set_notifier(notices);
    svc.set_coin_sink(&sink);
  }

  EventOutcome send(const std::string& type, json::object obj, std::int64_t created_s, std::string id = "") {
    if (id.empty()) id = "evt_" + std::to_string(++events);
    auto body = json::serialize(json::object{{"id", id}, {"type", type}, {"created", created_s}, {"data", {{"object", obj}}}});
    auto t = now_ms() / 1000;
    return svc.webhook("t=" + std::to_string(t) + ",v1=" + sign_payload("whsec_unit", t, body), body);
  }
  json::object subscription(const Principal& u, const std::string& status) {
    return {{"id", "sub_" + u.id}, {"customer", "cus_" + u.id}, {"status", status}, {"start_date", 1700000000},
            {"metadata", {{"user_id", u.id}, {"plan", "premium"}}}};
  }
};

TEST(BillingService, PlanFollowsTheSubscriptionAndTheGracePeriod) {
  World w;
  auto ana = w.tdb.add_user("ana");
  EXPECT_EQ(w.svc.limits_of(ana.id).plan, "free");
  EXPECT_EQ(w.svc.limits_of(ana.id).max_party_size, 3);
  EXPECT_EQ(w.svc.limits_of("").plan, "free");
  auto now_s = now_ms() / 1000;
  EXPECT_EQ(w.send("customer.subscription.created", w.subscription(ana, "active"), now_s), EventOutcome::handled);
  EXPECT_EQ(w.svc.limits_of(ana.id).max_party_size, 50);
  // Failed renewal: past_due, still premium within the grace period, and the user is told.
  EXPECT_EQ(w.send("invoice.payment_failed",
                   {{"id", "in_1"}, {"subscription", "sub_" + ana.id}, {"amount_due", 499}, {"currency", "eur"}}, now_s),
            EventOutcome::handled);
  EXPECT_EQ(w.svc.current(ana).subscription->status, SubscriptionStatus::past_due);
  EXPECT_EQ(w.svc.limits_of(ana.id).plan, "premium");
  EXPECT_EQ(w.notices.users_told("payment_failed"), std::set<std::string>{ana.id});
  // The grace period measured from the failure: an old failure leaves free limits.
  w.send("customer.subscription.updated", w.subscription(ana, "past_due"), now_s - 120);  // older: ignored
  EXPECT_EQ(w.svc.limits_of(ana.id).plan, "premium");
}

TEST(BillingService, GraceEndsAfterTheSetting) {
  World w;
  auto ana = w.tdb.add_user("ana");
  auto long_ago = now_ms() / 1000 - 3600;
  w.send("customer.subscription.created", w.subscription(ana, "past_due"), long_ago);
  EXPECT_EQ(w.svc.current(ana).subscription->status, SubscriptionStatus::past_due);
  EXPECT_EQ(w.svc.limits_of(ana.id).plan, "free");
}

// Plan segments (#19): the paying users are those whose plan is not free, by the same rule as limits_of.
TEST(BillingService, PayingUsersFollowTheSameRuleAsLimits) {
  World w;
  auto ana = w.tdb.add_user("ana"), bo = w.tdb.add_user("bo"), cy = w.tdb.add_user("cy"), di = w.tdb.add_user("di");
  auto now_s = now_ms() / 1000;
  w.send("customer.subscription.created", w.subscription(ana, "active"), now_s);
  w.send("customer.subscription.created", w.subscription(bo, "canceled"), now_s);
  w.send("customer.subscription.created", w.subscription(cy, "past_due"), now_s - 3600);  // grace over
  w.send("customer.subscription.created", w.subscription(di, "trialing"), now_s);
  std::map<std::string, std::string> want{{ana.id, "premium"}, {di.id, "premium"}};
  EXPECT_EQ(w.svc.paying_users(), want);
  for (auto* u : {&ana, &bo, &cy, &di})
    EXPECT_EQ(w.svc.limits_of(u->id).plan, want.count(u->id) ? "premium" : "free") << u->username;
}

TEST(BillingService, APlanSegmentNamesAKnownPlanOnlyWithItsAudience) {
  World w;
  EXPECT_NO_THROW(check_plan_segment(&w.svc, true, std::string("premium")));
  EXPECT_NO_THROW(check_plan_segment(&w.svc, true, std::string("free")));
  EXPECT_NO_THROW(check_plan_segment(&w.svc, false, std::nullopt));
  for (auto [audience, plan] : {std::pair{true, std::optional<std::string>{}}, {true, std::optional<std::string>{"gold"}},
                                {false, std::optional<std::string>{"premium"}}}) {
    try {
      check_plan_segment(&w.svc, audience, plan);
      ADD_FAILURE() << "accepted " << plan.value_or("(none)");
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::validation);
      EXPECT_TRUE(e.fields().count("plan"));
    }
  }
  EXPECT_NO_THROW(check_plan_segment(nullptr, true, std::string("free")));  // no billing: only free
  EXPECT_THROW(check_plan_segment(nullptr, true, std::string("premium")), Error);
}

TEST(BillingService, AnEventIdIsHandledOnce) {
  World w;
  auto ana = w.tdb.add_user("ana");
  auto now_s = now_ms() / 1000;
  w.send("customer.subscription.created", w.subscription(ana, "active"), now_s);
  json::object invoice{{"id", "in_9"}, {"subscription", "sub_" + ana.id}, {"amount_paid", 499}, {"currency", "eur"}};
  EXPECT_EQ(w.send("invoice.paid", invoice, now_s, "evt_same"), EventOutcome::handled);
  EXPECT_EQ(w.send("invoice.paid", invoice, now_s, "evt_same"), EventOutcome::duplicate);
  // Another event for the same provider invoice records no second payment either.
  EXPECT_EQ(w.send("invoice.paid", invoice, now_s), EventOutcome::handled);
  long long count = 0;
  w.svc.payments(ana, false, 10, 0, count);
  EXPECT_EQ(count, 1);
  w.svc.invoices(ana, false, 10, 0, count);
  EXPECT_EQ(count, 1);
}

TEST(BillingService, CoinPackIsCreditedThroughTheSinkOncePerCheckout) {
  World w;
  auto ana = w.tdb.add_user("ana");
  auto session = w.svc.checkout_coins(ana, "coins_500", "http://site");
  EXPECT_EQ(w.provider.last.kind, CheckoutKind::coins);
  EXPECT_EQ(w.provider.last.amount, 499);
  json::object done{{"id", session.id}, {"mode", "payment"}, {"payment_status", "paid"}, {"amount_total", 499},
                    {"currency", "eur"}, {"payment_intent", "pi_1"}};
  auto now_s = now_ms() / 1000;
  EXPECT_EQ(w.send("checkout.session.completed", done, now_s, "evt_c"), EventOutcome::handled);
  EXPECT_EQ(w.send("checkout.session.completed", done, now_s, "evt_c"), EventOutcome::duplicate);
  // Every credit names the same payment: the wallet (idempotent on it) credits once.
  ASSERT_FALSE(w.sink.credits.empty());
  for (auto& c : w.sink.credits) {
    EXPECT_EQ(c.user_id, ana.id);
    EXPECT_EQ(c.coins, 500);
    EXPECT_EQ(c.ref, "checkout:" + session.id);
  }
  long long count = 0;
  auto invoices = w.svc.invoices(ana, false, 10, 0, count);
  ASSERT_EQ(count, 1);
  EXPECT_EQ(invoices[0].total, 499);
}

TEST(BillingService, NoCoinsWithoutAWallet) {
  World w;
  w.svc.set_coin_sink(nullptr);
  auto ana = w.tdb.add_user("ana");
  EXPECT_EQ(error_code_of([&] { w.svc.checkout_coins(ana, "coins_500", "http://site"); }), ErrorCode::unavailable);
  EXPECT_EQ(error_code_of([&] { w.svc.checkout_coins(ana, "nope", "http://site"); }), ErrorCode::validation);
}

TEST(BillingService, ConcurrentPaymentsGetGaplessNumbers) {
  World w;
  auto ana = w.tdb.add_user("ana");
  auto now_s = now_ms() / 1000;
  w.send("customer.subscription.created", w.subscription(ana, "active"), now_s);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 5; ++k) {
        json::object invoice{{"id", "in_" + std::to_string(t) + "_" + std::to_string(k)},
                             {"subscription", "sub_" + ana.id}, {"amount_paid", 100}, {"currency", "eur"}};
        for (int attempt = 0; attempt < 50; ++attempt) {
          try {
            w.send("invoice.paid", invoice, now_s);
            break;
          } catch (const Error& e) {
            ASSERT_TRUE(e.code() == ErrorCode::unavailable || e.code() == ErrorCode::conflict) << e.what();
          }
        }
      }
    });
  for (auto& t : threads) t.join();
  long long count = 0;
  auto invoices = w.svc.invoices(ana, false, 100, 0, count);
  ASSERT_EQ(count, 20);
  std::vector<int> seqs;
  for (auto& i : invoices) seqs.push_back(i.seq);
  std::sort(seqs.begin(), seqs.end());
  for (int k = 0; k < 20; ++k) EXPECT_EQ(seqs[static_cast<std::size_t>(k)], k + 1);
}

TEST(BillingService, OthersInvoicesAreNotFoundAndAllIsForStaff) {
  World w;
  auto ana = w.tdb.add_user("ana"), bob = w.tdb.add_user("bob"), staff = w.tdb.add_user("staff", true);
  auto now_s = now_ms() / 1000;
  w.send("customer.subscription.created", w.subscription(ana, "active"), now_s);
  w.send("invoice.paid", {{"id", "in_a"}, {"subscription", "sub_" + ana.id}, {"amount_paid", 499}, {"currency", "eur"}},
         now_s);
  long long count = 0;
  auto mine = w.svc.invoices(ana, false, 10, 0, count);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(error_code_of([&] { w.svc.invoice(bob, mine[0].id); }), ErrorCode::not_found);
  EXPECT_EQ(w.svc.invoice(staff, mine[0].id).id, mine[0].id);
  EXPECT_EQ(error_code_of([&] { w.svc.invoices(bob, true, 10, 0, count); }), ErrorCode::forbidden);
  w.svc.invoices(staff, true, 10, 0, count);
  EXPECT_EQ(count, 1);
}

// ---------------------------------------------------------------- credit notes

json::object paid_invoice(const Principal& u, const std::string& id, std::int64_t amount) {
  return {{"id", id}, {"subscription", "sub_" + u.id}, {"amount_paid", amount}, {"currency", "eur"}};
}

json::object refunded_charge(const std::string& invoice, const std::string& refund_id, std::int64_t amount,
                             const std::string& reason = "requested_by_customer") {
  return {{"id", "ch_" + invoice}, {"invoice", invoice}, {"currency", "eur"}, {"amount_refunded", amount},
          {"refunds", {{"data", json::array{{{"id", refund_id}, {"amount", amount}, {"reason", reason}}}}}}};
}

TEST(BillingService, RefundsCreditTheInvoiceInASeriesOfTheirOwn) {
  World w;
  auto ana = w.tdb.add_user("ana");
  auto now_s = now_ms() / 1000;
  w.send("customer.subscription.created", w.subscription(ana, "active"), now_s);
  w.send("invoice.paid", paid_invoice(ana, "in_1", 499), now_s);
  long long count = 0;
  auto invoice = w.svc.invoices(ana, false, 10, 0, count).at(0);
  // Two partial refunds: two credit notes, numbered 1 and 2 of the year, whatever the invoices' numbers.
  EXPECT_EQ(w.send("charge.refunded", refunded_charge("in_1", "re_1", 200), now_s), EventOutcome::handled);
  EXPECT_EQ(w.send("charge.refunded", refunded_charge("in_1", "re_2", 299, "duplicate"), now_s),
            EventOutcome::handled);
  // The same refund in another event: no second payment, no second note.
  EXPECT_EQ(w.send("charge.refunded", refunded_charge("in_1", "re_2", 299), now_s), EventOutcome::handled);
  auto notes = w.svc.credit_notes(ana, false, 10, 0, count);
  ASSERT_EQ(count, 2);
  auto year = std::to_string(year_of(now_ms()));
  EXPECT_EQ(notes[0].number, "CN-" + year + "-000002");  // newest first
  EXPECT_EQ(notes[1].number, "CN-" + year + "-000001");
  EXPECT_EQ(notes[1].total, 200);
  EXPECT_EQ(notes[1].reason, "Requested by the customer");
  EXPECT_EQ(notes[0].reason, "Duplicate charge");
  for (auto& n : notes) {
    EXPECT_EQ(n.invoice_id, invoice.id);
    EXPECT_EQ(n.invoice_number, invoice.number);
    EXPECT_EQ(n.user_id, ana.id);
    EXPECT_EQ(n.currency, "EUR");
    EXPECT_EQ(n.seller, invoice.seller);
    EXPECT_EQ(n.subtotal + n.tax, n.total);
  }
  // The refund's payment row names its credit note.
  auto payments = w.svc.payments(ana, false, 10, 0, count);
  int with_note = 0;
  for (auto& p : payments)
    if (p.kind == PaymentKind::refund) with_note += p.credit_note_id.has_value();
  EXPECT_EQ(with_note, 2);
  // More than the invoice's rest is recorded as a payment but credits nothing.
  w.send("charge.refunded", refunded_charge("in_1", "re_3", 1), now_s);
  w.svc.credit_notes(ana, false, 10, 0, count);
  EXPECT_EQ(count, 2);
}

TEST(BillingService, ACreditNoteCarriesTheInvoicesTaxRate) {
  World w;
  auto ana = w.tdb.add_user("ana");
  auto now_s = now_ms() / 1000;
  w.send("customer.subscription.created", w.subscription(ana, "active"), now_s);
  auto inv = paid_invoice(ana, "in_t", 1190);
  inv["customer_address"] = json::object{{"country", "de"}};
  w.send("invoice.paid", inv, now_s);
  w.send("charge.refunded", refunded_charge("in_t", "re_t", 1190), now_s);
  long long count = 0;
  auto invoice = w.svc.invoices(ana, false, 10, 0, count).at(0);
  auto note = w.svc.credit_notes(ana, false, 10, 0, count).at(0);
  ASSERT_EQ(invoice.tax_rate_bp, 1900);
  EXPECT_EQ(invoice.tax, 190);
  EXPECT_EQ(note.tax_rate_bp, invoice.tax_rate_bp);
  EXPECT_EQ(note.tax, invoice.tax);  // a full refund credits the invoice's tax exactly
  EXPECT_EQ(note.subtotal, invoice.subtotal);
}

TEST(BillingService, OthersCreditNotesAreNotFoundAndAllIsForStaff) {
  World w;
  auto ana = w.tdb.add_user("ana"), bob = w.tdb.add_user("bob"), staff = w.tdb.add_user("staff", true);
  auto now_s = now_ms() / 1000;
  w.send("customer.subscription.created", w.subscription(ana, "active"), now_s);
  w.send("invoice.paid", paid_invoice(ana, "in_a", 499), now_s);
  w.send("charge.refunded", refunded_charge("in_a", "re_a", 499), now_s);
  long long count = 0;
  auto mine = w.svc.credit_notes(ana, false, 10, 0, count);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(error_code_of([&] { w.svc.credit_note(bob, mine[0].id); }), ErrorCode::not_found);
  EXPECT_EQ(w.svc.credit_note(ana, mine[0].id).id, mine[0].id);
  EXPECT_EQ(w.svc.credit_note(staff, mine[0].id).id, mine[0].id);
  EXPECT_TRUE(w.svc.credit_notes(bob, false, 10, 0, count).empty());
  EXPECT_EQ(error_code_of([&] { w.svc.credit_notes(bob, true, 10, 0, count); }), ErrorCode::forbidden);
  w.svc.credit_notes(staff, true, 10, 0, count);
  EXPECT_EQ(count, 1);
}

TEST(BillingService, ConcurrentRefundsGetGaplessCreditNoteNumbers) {
  World w;
  auto ana = w.tdb.add_user("ana");
  auto now_s = now_ms() / 1000;
  w.send("customer.subscription.created", w.subscription(ana, "active"), now_s);
  for (int k = 0; k < 12; ++k) w.send("invoice.paid", paid_invoice(ana, "in_c" + std::to_string(k), 100), now_s);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int k = t; k < 12; k += 4) {
        auto id = std::to_string(k);
        for (int attempt = 0; attempt < 50; ++attempt) {
          try {
            w.send("charge.refunded", refunded_charge("in_c" + id, "re_c" + id, 100), now_s);
            break;
          } catch (const Error& e) {
            ASSERT_TRUE(e.code() == ErrorCode::unavailable || e.code() == ErrorCode::conflict) << e.what();
          }
        }
      }
    });
  for (auto& t : threads) t.join();
  long long count = 0;
  auto notes = w.svc.credit_notes(ana, false, 100, 0, count);
  ASSERT_EQ(count, 12);
  std::vector<int> seqs;
  for (auto& n : notes) seqs.push_back(n.seq);
  std::sort(seqs.begin(), seqs.end());
  for (int k = 0; k < 12; ++k) EXPECT_EQ(seqs[static_cast<std::size_t>(k)], k + 1);
}

}  // namespace
}  // namespace wp::billing
