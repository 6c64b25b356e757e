#pragma once
// The store rules: wallets and the coin ledger, the catalog staff manage,
// purchases (idempotent on the client's key), refunds by staff, inventory
// and what is equipped. It is the billing module's wp::CoinSink.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/coin_sink.hpp"
#include "core/principal.hpp"
#include "modules/store/model.hpp"
#include "modules/store/store.hpp"

namespace wp::store {

struct Settings {
  std::int64_t daily_coins = 10;  // the first activity of a UTC day
  int max_equipped_badges = 3;
};

// What a user wears that others see: the equipped themes.
struct Cosmetics {
  std::optional<InventoryRow> profile_theme, party_theme;
};

template <class Row>
struct Listed {
  std::vector<Row> rows;
  long long count = 0;
};

class StoreService : public CoinSink {
 public:
  explicit StoreService(Store& store, Settings settings = {}) : store_(store), settings_(settings) {}
  // Told after a user's equipped items change (equip, unequip, refund): the badge cache.
  void on_equipped_changed(std::function<void(const std::string& user_id)> hook) { equipped_changed_ = std::move(hook); }
  // Told after staff create or change an item: the emoji packs' index.
  void on_catalog_changed(std::function<void()> hook) { catalog_changed_ = std::move(hook); }

  // ---- coins
  std::int64_t balance(const Principal& me);
  Listed<TransactionRow> history(const Principal& me, const Window& w);
  // Staff: coins from the system's issuance to a user (support, tests).
  // key: the client's idempotency key (repeating it grants once).
  bool grant(const Principal& staff, const std::string& user_id, std::int64_t coins, const std::string& reason,
             const std::optional<std::string>& key);
  // wp::CoinSink: coins bought through billing, once per payment_ref.
  void credit_purchase(const std::string& user_id, std::int64_t coins, const std::string& payment_ref) override;
  // The day's activity reward (UTC day of `now`) as a posting, for the caller's transaction;
  // its key makes it once per user and day. None when no reward is set.
  std::optional<Posting> daily_posting(const std::string& user_id, std::int64_t now) const;
  LedgerCheck check(const Principal& staff);

  // ---- catalog
  // Users see what is on sale; staff see every item (all = true).
  Listed<ItemRow> items(const Principal& me, bool all, std::optional<ItemKind> kind, const Window& w);
  ItemRow item(const Principal& me, const std::string& id);
  ItemRow create_item(const Principal& staff, const ItemInput& in);
  ItemRow update_item(const Principal& staff, const std::string& id, const ItemInput& in);

  // ---- purchases
  PurchaseOutcome buy(const Principal& me, const std::string& item_id, const std::optional<std::string>& key);
  Listed<PurchaseRow> purchases(const Principal& me, const Window& w);
  // Staff: everyone's, or one user's.
  Listed<PurchaseRow> all_purchases(const Principal& staff, const std::optional<std::string>& user_id,
                                    const Window& w);
  PurchaseRow purchase(const Principal& me, const std::string& id);
  PurchaseRow refund(const Principal& staff, const std::string& id, const std::string& reason);

  // ---- inventory
  std::vector<InventoryRow> inventory(const Principal& me);
  InventoryRow equip(const Principal& me, const std::string& item_id);
  InventoryRow unequip(const Principal& me, const std::string& item_id);
  // Equipped badges by user, for profiles and party chat.
  std::map<std::string, std::vector<Badge>> badges_of(const std::vector<std::string>& user_ids);

  // ---- cosmetics (a user's equipped themes are public, like badges)
  Cosmetics cosmetics_of(const std::string& user_id);
  // The emoji packs I own.
  std::vector<InventoryRow> emoji_packs(const Principal& me);
  // Every emoji pack of the catalog (the index of which emoji need a pack).
  std::vector<ItemRow> all_emoji_packs();
  bool owns(const std::string& user_id, const std::string& item_id);

 private:
  InventoryRow owned(const Principal& me, const std::string& item_id);
  void equipped_changed(const std::string& user_id) {
    if (equipped_changed_) equipped_changed_(user_id);
  }
  void catalog_changed() {
    if (catalog_changed_) catalog_changed_();
  }
  Store& store_;
  Settings settings_;
  std::function<void(const std::string&)> equipped_changed_;
  std::function<void()> catalog_changed_;
};

// "2026-12-05": the UTC day of epoch ms.
std::string utc_day(std::int64_t epoch_ms);

}  // namespace wp::store
