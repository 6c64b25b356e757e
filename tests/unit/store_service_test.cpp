// The store's rules on a temporary SQLite database: the coin ledger stays
// balanced, purchases never overdraw or oversell (threads at once), a
// client key makes a purchase once, refunds reverse the entries, and
// achievements unlock and pay once however often their events arrive.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "modules/store/achievements.hpp"
#include "modules/store/badges.hpp"
#include "modules/store/inbox.hpp"
#include "modules/store/service.hpp"
#include "modules/store/store.hpp"
#include "support/error_code.hpp"
#include "support/recording_notifier.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::store;
using wp::DomainEvent;
using wp::ErrorCode;
using wp::Principal;
using wp::testkit::error_code_of;
using wp::testkit::RecordingNotifier;

struct StoreWorld : wp::testkit::TempDatabase {
  Store store{*db};
  StoreService coins{store};
  RecordingNotifier notices;
  AchievementsService achievements{store, coins};
  Principal staff = add_user("staff", true);

  StoreWorld() { achievements.set_notifier(notices); }
  ~StoreWorld() { EXPECT_TRUE(store.check().ok()) << "the ledger does not balance"; }

  void give(const Principal& to, std::int64_t n) { coins.grant(staff, to.id, n, "test", std::nullopt); }
  ItemRow item(std::int64_t price, std::optional<std::int64_t> stock, ItemKind kind = ItemKind::badge,
               const std::string& name = "Star") {
    ItemInput in;
    in.kind = kind;
    in.name = name;
    in.image = "*";
    in.price = price;
    in.stock = stock;
    return coins.create_item(staff, in);
  }
  DomainEvent event(const Principal& who, const std::string& type, std::int64_t amount = 1) {
    DomainEvent e;
    e.type = type;
    e.user_id = who.id;
    e.amount = amount;
    return e;
  }
};

TEST(StoreLedger, GrantsMoveCoinsFromIssuanceAndBalance) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  w.give(ann, 100);
  w.give(ann, 20);
  EXPECT_EQ(w.coins.balance(ann), 120);
  EXPECT_EQ(w.store.balance(kIssuanceAccount), -120);
  auto check = w.store.check();
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(check.transactions, 2);
  EXPECT_EQ(check.entries, 4);
  EXPECT_EQ(w.coins.history(ann, {10, 0}).count, 2);
}

TEST(StoreLedger, AnUnbalancedPostingIsRefused) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  Posting p;
  p.kind = TxKind::grant;
  p.ref = "x";
  p.user_id = ann.id;
  p.entries = {{kIssuanceAccount, -5}, {wallet_account(ann.id), 4}};
  EXPECT_EQ(error_code_of([&] { w.store.post(p, wp::now_ms()); }), ErrorCode::internal);
  EXPECT_EQ(w.coins.balance(ann), 0);
}

TEST(StoreLedger, OnlyStaffGrantAndCheck) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  EXPECT_EQ(error_code_of([&] { w.coins.grant(ann, ann.id, 5, "", std::nullopt); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.coins.check(ann); }), ErrorCode::forbidden);
}

TEST(StoreLedger, BoughtCoinsAreCreditedOncePerPaymentRef) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  wp::CoinSink& sink = w.coins;
  sink.credit_purchase(ann.id, 500, "cs_test_1");
  sink.credit_purchase(ann.id, 500, "cs_test_1");
  sink.credit_purchase(ann.id, 100, "cs_test_2");
  EXPECT_EQ(w.coins.balance(ann), 600);
}

TEST(StoreLedger, TheDailyRewardIsOncePerUtcDay) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  const std::int64_t noon = 1'780'000'000'000;  // some instant; the next day is 24 h later
  auto credit = [&](std::int64_t at) { return w.store.post(*w.coins.daily_posting(ann.id, at), at); };
  EXPECT_TRUE(credit(noon));
  EXPECT_FALSE(credit(noon + 1000));
  EXPECT_TRUE(credit(noon + 24LL * 3600 * 1000));
  EXPECT_EQ(w.coins.balance(ann), 20);
}

TEST(StorePurchase, DebitsStockAndGrantsInOneStep) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  w.give(ann, 100);
  auto star = w.item(30, 5);
  auto out = w.coins.buy(ann, star.id, std::nullopt);
  EXPECT_FALSE(out.replayed);
  EXPECT_EQ(out.purchase.price, 30);
  EXPECT_EQ(w.coins.balance(ann), 70);
  EXPECT_EQ(w.store.balance(kRevenueAccount), 30);
  EXPECT_EQ(w.coins.item(ann, star.id).sold, 1);
  auto inv = w.coins.inventory(ann);
  ASSERT_EQ(inv.size(), 1u);
  EXPECT_EQ(inv[0].item_id, star.id);
  EXPECT_FALSE(inv[0].equipped);
  // A second copy of the same item is refused, and nothing moves.
  EXPECT_EQ(error_code_of([&] { w.coins.buy(ann, star.id, std::nullopt); }), ErrorCode::conflict);
  EXPECT_EQ(w.coins.balance(ann), 70);
  EXPECT_EQ(w.coins.item(ann, star.id).sold, 1);
}

TEST(StorePurchase, NeverOverdrawsNorSellsWhatIsNotOnSale) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  w.give(ann, 10);
  auto dear = w.item(11, std::nullopt);
  EXPECT_EQ(error_code_of([&] { w.coins.buy(ann, dear.id, std::nullopt); }), ErrorCode::conflict);
  EXPECT_EQ(w.coins.balance(ann), 10);
  EXPECT_TRUE(w.coins.inventory(ann).empty());
  auto gone = w.item(1, 0);
  EXPECT_EQ(error_code_of([&] { w.coins.buy(ann, gone.id, std::nullopt); }), ErrorCode::conflict);
  ItemInput off;
  off.is_active = false;
  auto cheap = w.item(1, std::nullopt);
  w.coins.update_item(w.staff, cheap.id, off);
  EXPECT_EQ(error_code_of([&] { w.coins.buy(ann, cheap.id, std::nullopt); }), ErrorCode::conflict);
  EXPECT_EQ(error_code_of([&] { w.coins.item(ann, cheap.id); }), ErrorCode::not_found);  // users see what is on sale
  ItemInput later;
  later.is_active = true;
  later.available_from = std::optional<std::int64_t>(wp::now_ms() + 3'600'000);
  w.coins.update_item(w.staff, cheap.id, later);
  EXPECT_EQ(error_code_of([&] { w.coins.buy(ann, cheap.id, std::nullopt); }), ErrorCode::conflict);
  EXPECT_EQ(w.coins.balance(ann), 10);
}

TEST(StorePurchase, TheSameKeyGetsTheSamePurchase) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  w.give(ann, 100);
  auto star = w.item(30, std::nullopt);
  auto first = w.coins.buy(ann, star.id, std::string("k-1"));
  auto again = w.coins.buy(ann, star.id, std::string("k-1"));
  EXPECT_FALSE(first.replayed);
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(first.purchase.id, again.purchase.id);
  EXPECT_EQ(w.coins.balance(ann), 70);
  auto moon = w.item(10, std::nullopt, ItemKind::badge, "Moon");
  EXPECT_EQ(error_code_of([&] { w.coins.buy(ann, moon.id, std::string("k-1")); }), ErrorCode::conflict);
  // Another user's key space is theirs.
  auto bob = w.add_user("bob");
  w.give(bob, 30);
  EXPECT_FALSE(w.coins.buy(bob, star.id, std::string("k-1")).replayed);
}

TEST(StorePurchase, ThreadsAtOnceNeverOverdrawNorOversell) {
  StoreWorld w;
  auto star = w.item(10, 50);
  std::vector<Principal> buyers;
  for (int i = 0; i < 200; ++i) {
    buyers.push_back(w.add_user("buyer" + std::to_string(i)));
    w.give(buyers.back(), i % 4 == 0 ? 5 : 10);  // a quarter cannot afford it
  }
  std::atomic<int> sold{0}, refused{0}, next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i; (i = next++) < 200;) {
        try {
          w.coins.buy(buyers[i], star.id, std::nullopt);
          ++sold;
        } catch (const wp::Error& e) {
          EXPECT_EQ(e.code(), ErrorCode::conflict) << e.what();
          ++refused;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(sold.load(), 50);
  EXPECT_EQ(refused.load(), 150);
  EXPECT_EQ(w.coins.item(w.staff, star.id).sold, 50);
  EXPECT_EQ(w.store.balance(kRevenueAccount), 500);
  auto check = w.store.check();
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(check.negative_wallets, 0);
}

TEST(StorePurchase, OneWalletManyItemsAtOnceBuysOnlyWhatItCovers) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  w.give(ann, 25);
  std::vector<ItemRow> items;
  for (int i = 0; i < 10; ++i) items.push_back(w.item(10, std::nullopt, ItemKind::badge, "b" + std::to_string(i)));
  std::atomic<int> sold{0};
  std::vector<std::thread> threads;
  for (auto& it : items)
    threads.emplace_back([&, id = it.id] {
      try {
        w.coins.buy(ann, id, std::nullopt);
        ++sold;
      } catch (const wp::Error&) {
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(sold.load(), 2);
  EXPECT_EQ(w.coins.balance(ann), 5);
}

TEST(StoreRefund, ReversesTheEntriesRevokesTheItemAndRestocks) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  w.give(ann, 50);
  auto star = w.item(30, 1);
  auto p = w.coins.buy(ann, star.id, std::nullopt).purchase;
  w.coins.equip(ann, star.id);
  EXPECT_EQ(error_code_of([&] { w.coins.refund(ann, p.id, "no"); }), ErrorCode::forbidden);
  auto r = w.coins.refund(w.staff, p.id, "changed my mind");
  EXPECT_EQ(r.status, PurchaseStatus::refunded);
  ASSERT_TRUE(r.refund_transaction_id);
  EXPECT_EQ(w.coins.balance(ann), 50);
  EXPECT_EQ(w.store.balance(kRevenueAccount), 0);
  EXPECT_TRUE(w.coins.inventory(ann).empty());
  EXPECT_TRUE(w.coins.badges_of({ann.id})[ann.id].empty());
  EXPECT_EQ(w.coins.item(ann, star.id).sold, 0);
  EXPECT_EQ(error_code_of([&] { w.coins.refund(w.staff, p.id, "again"); }), ErrorCode::conflict);
  // History is kept: purchase, then its reversal.
  auto history = w.coins.history(ann, {10, 0});
  ASSERT_EQ(history.count, 3);
  EXPECT_EQ(history.rows[0].kind, TxKind::refund);
  EXPECT_EQ(history.rows[0].amount, 30);
  EXPECT_EQ(history.rows[0].reverses_id, p.transaction_id);
  EXPECT_EQ(history.rows[1].amount, -30);
  // The unit is back: it can be bought again.
  EXPECT_FALSE(w.coins.buy(ann, star.id, std::nullopt).replayed);
}

TEST(StoreInventory, BadgesUpToALimitThemesOneAtATime) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  w.give(ann, 1000);
  std::vector<ItemRow> badges;
  for (int i = 0; i < 4; ++i) {
    badges.push_back(w.item(1, std::nullopt, ItemKind::badge, "b" + std::to_string(i)));
    w.coins.buy(ann, badges.back().id, std::nullopt);
  }
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(w.coins.equip(ann, badges[i].id).equipped);
  EXPECT_EQ(error_code_of([&] { w.coins.equip(ann, badges[3].id); }), ErrorCode::conflict);
  EXPECT_EQ(w.coins.badges_of({ann.id})[ann.id].size(), 3u);
  EXPECT_FALSE(w.coins.unequip(ann, badges[0].id).equipped);
  EXPECT_TRUE(w.coins.equip(ann, badges[3].id).equipped);
  auto dark = w.item(1, std::nullopt, ItemKind::profile_theme, "dark");
  auto light = w.item(1, std::nullopt, ItemKind::profile_theme, "light");
  w.coins.buy(ann, dark.id, std::nullopt);
  w.coins.buy(ann, light.id, std::nullopt);
  w.coins.equip(ann, dark.id);
  w.coins.equip(ann, light.id);
  int themes_on = 0;
  for (auto& v : w.coins.inventory(ann))
    if (v.kind == ItemKind::profile_theme && v.equipped) ++themes_on;
  EXPECT_EQ(themes_on, 1);
  // Not owned: 404.
  auto bob = w.add_user("bob");
  EXPECT_EQ(error_code_of([&] { w.coins.equip(bob, dark.id); }), ErrorCode::not_found);
}

TEST(StoreInventory, TheBadgeCacheForgetsOnEquip) {
  StoreWorld w;
  BadgeCache cache(w.coins, std::chrono::minutes(5));
  w.coins.on_equipped_changed([&cache](const std::string& id) { cache.forget(id); });
  auto ann = w.add_user("ann");
  w.give(ann, 10);
  auto star = w.item(1, std::nullopt);
  w.coins.buy(ann, star.id, std::nullopt);
  EXPECT_TRUE(cache.badges_of(ann.id).empty());
  w.coins.equip(ann, star.id);
  auto shown = cache.badges_of(ann.id);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].name, "Star");
}

TEST(Achievements, UnlockAndPayOnceWhenEventsArriveTwice) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  auto created = w.event(ann, "party.created");
  w.achievements.apply(created);
  w.achievements.apply(created);  // the same event again
  auto unlocked = w.achievements.mine(ann);
  ASSERT_EQ(unlocked.size(), 1u);
  EXPECT_EQ(unlocked[0].rule->key, "first_party");
  EXPECT_EQ(w.coins.balance(ann), 50 + 10);  // the reward once, and the day's activity
  EXPECT_EQ(w.notices.of_type("achievement_unlocked").size(), 1u);
  EXPECT_EQ(w.notices.of_type("achievement_unlocked")[0].user_id, ann.id);
}

TEST(Achievements, ThresholdsSumAmountsAndShowProgress) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  w.achievements.apply(w.event(ann, "watch.progress", 30000));
  auto progress = [&](std::string_view key) {
    for (auto& p : w.achievements.all(ann))
      if (p.rule->key == key) return p;
    ADD_FAILURE() << key;
    return Progress{};
  };
  EXPECT_EQ(progress("ten_hours").progress, 30000);
  EXPECT_FALSE(progress("ten_hours").unlocked_at);
  w.achievements.apply(w.event(ann, "watch.progress", 6000));
  EXPECT_TRUE(progress("ten_hours").unlocked_at);
  EXPECT_EQ(progress("ten_hours").progress, 36000);
  for (int i = 0; i < 49; ++i) w.achievements.apply(w.event(ann, "friend.added"));
  EXPECT_TRUE(progress("first_friend").unlocked_at);
  EXPECT_FALSE(progress("fifty_friends").unlocked_at);
  EXPECT_EQ(progress("fifty_friends").progress, 49);
  w.achievements.apply(w.event(ann, "friend.added"));
  EXPECT_TRUE(progress("fifty_friends").unlocked_at);
  EXPECT_EQ(w.coins.balance(ann), 10 + 200 + 10 + 250);
  EXPECT_EQ(w.notices.of_type("achievement_unlocked").size(), 3u);
}

TEST(Achievements, ConcurrentDuplicatesStillPayOnce) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back([&] { w.achievements.apply(w.event(ann, "poll.created")); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(w.achievements.mine(ann).size(), 1u);
  EXPECT_EQ(w.coins.balance(ann), 20 + 10);
}

TEST(Achievements, AnonymousAndUnknownEventsChangeNothing) {
  StoreWorld w;
  DomainEvent e;
  e.type = "video.viewed";
  w.achievements.apply(e);
  EXPECT_EQ(w.store.check().transactions, 0);
}

TEST(AchievementsInbox, DropsWhenFullAndDrainsInOrder) {
  std::vector<std::string> applied;
  std::vector<std::function<void()>> submitted;
  Inbox inbox(
      2, [&](std::function<void()> job) { submitted.push_back(std::move(job)); return true; },
      [&](const DomainEvent& e) { applied.push_back(e.type); });
  for (auto type : {"a", "b", "c"}) {
    DomainEvent e;
    e.type = type;
    inbox.push(e);
  }
  EXPECT_EQ(inbox.dropped(), 1u);
  EXPECT_EQ(submitted.size(), 1u);  // one drain for both
  submitted[0]();
  EXPECT_EQ(applied, (std::vector<std::string>{"a", "b"}));
  DomainEvent d;
  d.type = "d";
  inbox.push(d);
  EXPECT_EQ(submitted.size(), 2u);
}

TEST(AchievementsInbox, ARefusedDrainIsRetried) {
  int applied = 0;
  bool accept = false;
  std::vector<std::function<void()>> submitted;
  Inbox inbox(
      10,
      [&](std::function<void()> job) {
        if (!accept) return false;
        submitted.push_back(std::move(job));
        return true;
      },
      [&](const DomainEvent&) { ++applied; });
  inbox.push(DomainEvent{});
  EXPECT_TRUE(submitted.empty());
  accept = true;
  inbox.retry();
  ASSERT_EQ(submitted.size(), 1u);
  submitted[0]();
  EXPECT_EQ(applied, 1);
}

}  // namespace

namespace {

TEST(Achievements, SigningInIsNotTheDaysActivity) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  w.achievements.apply(w.event(ann, "user.logged_in"));
  w.achievements.apply(w.event(ann, "friend.added"));
  EXPECT_EQ(w.coins.balance(ann), 10);  // first_friend only
  w.achievements.apply(w.event(ann, "party.joined"));
  EXPECT_EQ(w.coins.balance(ann), 20);
}

// The reward rides in the counted event's transaction, or alone when the event counts towards nothing.
TEST(Achievements, TheDaysRewardComesOnceADayWithOrWithoutACountedEvent) {
  StoreWorld w;
  auto ann = w.add_user("ann");
  auto joined = [&](int days_later) {
    auto e = w.event(ann, "party.joined");
    e.at += std::chrono::hours(24 * days_later);
    return e;
  };
  auto joins = [&] {
    for (auto& c : w.store.counters(ann.id))
      if (c.event_type == "party.joined") return c.total;
    return std::int64_t{0};
  };
  w.achievements.apply(w.event(ann, "message.sent"));  // no rule counts it
  EXPECT_EQ(w.coins.balance(ann), 10);
  w.achievements.apply(joined(0));
  EXPECT_EQ(w.coins.balance(ann), 10);
  EXPECT_EQ(joins(), 1);
  w.achievements.apply(joined(1));
  EXPECT_EQ(w.coins.balance(ann), 20);
  EXPECT_EQ(joins(), 2);
  w.achievements.apply(joined(1));
  EXPECT_EQ(w.coins.balance(ann), 20);
  EXPECT_EQ(joins(), 3);
  EXPECT_EQ(w.store.check().transactions, 2);
}

}  // namespace
