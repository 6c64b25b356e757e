#pragma once
// Every read and write of the coin ledger, the catalog, purchases, inventory
// and achievement progress (the SQL text is in sql.hpp). Split by area:
// store_ledger.cpp, store_catalog.cpp, store_purchases.cpp, store_achievements.cpp.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/store/model.hpp"

namespace soci {
class session;
}

namespace wp::store {

struct Window {
  int limit = 20, offset = 0;
};

// What a purchase call did: a new purchase, or the one its key made before.
struct PurchaseOutcome {
  PurchaseRow purchase;
  bool replayed = false;
};

// An achievement rule as the store applies it (the table is in achievements.hpp).
struct Threshold {
  std::string achievement;
  std::int64_t threshold = 0;
  std::int64_t reward = 0;
};

class Store {
 public:
  explicit Store(db::Database& db);
  ~Store();
  db::Dialect dialect() const { return db_.dialect(); }

  // ---- ledger (store_ledger.cpp)
  // Records the posting in its own transaction. False when its (kind, ref)
  // was recorded before: nothing changes. Throws conflict ("Not enough
  // coins.") when a wallet would go below zero, and internal when the legs
  // do not sum to zero.
  bool post(const Posting& p, std::int64_t now);
  std::int64_t balance(const std::string& account_id);
  std::vector<TransactionRow> wallet_history(const std::string& user_id, const Window& w);
  long long count_wallet_history(const std::string& user_id);
  LedgerCheck check();

  // ---- catalog (store_catalog.cpp)
  void insert_item(const ItemRow& item, const std::string& created_by);
  void update_item(const ItemRow& item);
  std::optional<ItemRow> item(const std::string& id);
  // on_sale: only what users may buy at `now`; else every item (staff).
  std::vector<ItemRow> items(bool on_sale, std::int64_t now, std::optional<ItemKind> kind, const Window& w);
  long long count_items(bool on_sale, std::int64_t now, std::optional<ItemKind> kind);

  // ---- purchases (store_purchases.cpp)
  // In one transaction: the purchase row (its key unique per user), one unit
  // of stock, the ledger debit (wallet -> revenue) and the inventory grant.
  // A key used before answers with that purchase (replayed). Throws conflict
  // for sold out / off sale, not enough coins, or an item already owned.
  PurchaseOutcome purchase(const std::string& user_id, const ItemRow& item, const std::optional<std::string>& key,
                           std::int64_t now);
  std::optional<PurchaseRow> purchase_by_id(const std::string& id);
  // user_id empty: everyone's (staff).
  std::vector<PurchaseRow> purchases(const std::string& user_id, const Window& w);
  long long count_purchases(const std::string& user_id);
  // Reverses the purchase's ledger entries, revokes the item and puts the
  // unit back, in one transaction. nullopt when it was refunded already.
  std::optional<PurchaseRow> refund(const std::string& purchase_id, const std::string& staff_id,
                                    const std::string& reason, std::int64_t now);

  // ---- inventory (store_purchases.cpp)
  std::vector<InventoryRow> inventory(const std::string& user_id);
  // Equips an owned item. exclusive: others of its kind come off first;
  // else at most `limit` of its kind may be on (conflict past it). False when not owned.
  bool equip(const std::string& user_id, const std::string& item_id, ItemKind kind, bool exclusive, int limit);
  bool unequip(const std::string& user_id, const std::string& item_id);
  bool owns(const std::string& user_id, const std::string& item_id);
  std::vector<BadgeOf> badges_of(const std::vector<std::string>& user_ids);

  // ---- achievements (store_achievements.cpp)
  // Adds amount to the user's counter of event_type and unlocks every rule
  // whose threshold the total reaches, paying its reward, in one
  // transaction; an unlock is keyed on (user, achievement), so it and its
  // payment happen once whatever repeats. Returns the new unlocks.
  // `also`, when given, is posted first in the same transaction (the day's
  // activity reward that came with the event: one commit instead of two).
  std::vector<Threshold> count_event(const std::string& user_id, const std::string& event_type, std::int64_t amount,
                                     const std::vector<Threshold>& rules, std::int64_t now,
                                     const Posting* also = nullptr);
  std::vector<CounterRow> counters(const std::string& user_id);
  std::vector<UnlockRow> unlocks(const std::string& user_id);

 private:
  // Inside a transaction of the caller: the posting, or nothing when its key was
  // used (returns the transaction id only when it was new). Shared by the store files.
  std::optional<std::string> post_in(soci::session& s, const Posting& p, std::int64_t now);
  void move(soci::session& s, const Entry& e, const std::string& tx_id, long long now);

  struct Kept;  // the statements of every posting and counted event, kept prepared (store_kept.hpp)
  db::Database& db_;
  std::unique_ptr<Kept> kept_;
};

}  // namespace wp::store
