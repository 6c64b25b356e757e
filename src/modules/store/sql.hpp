#pragma once
// Every SQL text of the store module (coins, catalog, purchases, inventory,
// achievements), and the column tables of the rows it reads. Only the
// store_*.cpp files include this. A row query is the text after the SELECT list.
#include "db/columns.hpp"
#include "modules/store/model.hpp"

namespace wp::store::sql {

// ---------------------------------------------------------------- ledger

inline constexpr const char* kEnsureAccount =
    "INSERT INTO coin_accounts (id, kind, user_id, balance, created_at) VALUES (:id, :k, :u, 0, :t) "
    "ON CONFLICT (id) DO NOTHING";
// The one place a balance changes. A wallet is debited only when it covers
// the amount: under concurrency the row lock orders the updates and each
// re-reads the balance (PostgreSQL re-checks the WHERE on the newest row).
inline constexpr const char* kMoveBalance =
    "UPDATE coin_accounts SET balance = balance + :a WHERE id = :id AND (kind <> 'wallet' OR balance + :b >= 0)";
inline constexpr const char* kInsertTransaction =
    "INSERT INTO coin_transactions (id, kind, ref, user_id, memo, reverses_id, created_by, created_at) VALUES "
    "(:id, :k, :r, :u, :m, :rev, :by, :t) ON CONFLICT (kind, ref) DO NOTHING";
inline constexpr const char* kInsertEntry =
    "INSERT INTO coin_entries (id, transaction_id, account_id, amount, created_at) VALUES (:id, :tx, :acc, :a, :t)";
inline constexpr const char* kTransactionIdOf = "SELECT id FROM coin_transactions WHERE kind = :k AND ref = :r";
inline constexpr const char* kBalance = "SELECT COALESCE(MAX(balance), 0) FROM coin_accounts WHERE id = :id";

inline const db::Columns<TransactionRow> kWalletTransaction{
    {"t.id", &TransactionRow::id},
    {"t.kind", &TransactionRow::kind},
    {"t.ref", &TransactionRow::ref},
    {"t.memo", &TransactionRow::memo},
    {"t.reverses_id", &TransactionRow::reverses_id},
    {"t.created_at", &TransactionRow::created_at},
    {"e.amount", &TransactionRow::amount},
};
// A wallet's movements, newest first: one entry of the wallet per transaction.
inline constexpr const char* kWalletFrom =
    "FROM coin_entries e JOIN coin_transactions t ON t.id = e.transaction_id WHERE e.account_id = :acc";
inline constexpr const char* kWalletOrder = " ORDER BY e.created_at DESC, e.id DESC LIMIT :lim OFFSET :off";

// The ledger proves itself: each number must be zero.
inline constexpr const char* kUnbalanced =
    "SELECT COUNT(*) FROM (SELECT transaction_id FROM coin_entries GROUP BY transaction_id HAVING SUM(amount) <> 0) x";
inline constexpr const char* kShortTransactions =
    "SELECT COUNT(*) FROM coin_transactions t WHERE (SELECT COUNT(*) FROM coin_entries e WHERE e.transaction_id = "
    "t.id) < 2";
inline constexpr const char* kMismatchedAccounts =
    "SELECT COUNT(*) FROM coin_accounts a WHERE a.balance <> COALESCE((SELECT SUM(e.amount) FROM coin_entries e "
    "WHERE e.account_id = a.id), 0)";
inline constexpr const char* kNegativeWallets = "SELECT COUNT(*) FROM coin_accounts WHERE kind = 'wallet' AND balance < 0";
inline constexpr const char* kCountTransactions = "SELECT COUNT(*) FROM coin_transactions";
inline constexpr const char* kCountEntries = "SELECT COUNT(*) FROM coin_entries";

// ---------------------------------------------------------------- catalog

inline const db::Columns<ItemRow> kItem{
    {"id", &ItemRow::id},
    {"kind", &ItemRow::kind},
    {"name", &ItemRow::name},
    {"description", &ItemRow::description},
    {"image", &ItemRow::image},
    {"price", &ItemRow::price},
    {"stock", &ItemRow::stock},
    {"sold", &ItemRow::sold},
    {"is_active", &ItemRow::is_active},
    {"available_from", &ItemRow::available_from},
    {"available_until", &ItemRow::available_until},
    {"created_at", &ItemRow::created_at},
    {"updated_at", &ItemRow::updated_at},
    {"properties", &ItemRow::properties},
};
inline constexpr const char* kItemById = "FROM store_items WHERE id = :id";
inline constexpr const char* kForUpdate = " FOR UPDATE";
inline constexpr const char* kInsertItem =
    "INSERT INTO store_items (id, kind, name, description, image, price, stock, sold, is_active, available_from, "
    "available_until, created_by, created_at, updated_at, properties) VALUES (:id, :k, :n, :d, :img, :p, :s, 0, TRUE, "
    ":f, :un, :by, :t, :t2, :pr)";
inline constexpr const char* kUpdateItem =
    "UPDATE store_items SET kind = :k, name = :n, description = :d, image = :img, price = :p, stock = :s, "
    "available_from = :f, available_until = :un, updated_at = :t, properties = :pr WHERE id = :id";
inline constexpr const char* kSetItemActive = "UPDATE store_items SET is_active = TRUE, updated_at = :t WHERE id = :id";
inline constexpr const char* kSetItemInactive = "UPDATE store_items SET is_active = FALSE, updated_at = :t WHERE id = :id";
// What users see: active, inside its dates (the same test as ItemRow::on_sale).
inline constexpr const char* kOnSaleFrom =
    "FROM store_items WHERE is_active = TRUE AND (available_from IS NULL OR available_from <= :a) AND "
    "(available_until IS NULL OR available_until > :b)";
inline constexpr const char* kAllItemsFrom = "FROM store_items WHERE 1 = 1";
inline constexpr const char* kItemsOrder = " ORDER BY created_at DESC, id DESC LIMIT :lim OFFSET :off";

// ---------------------------------------------------------------- purchases

// One unit out, only while one is left and the item is on sale.
inline constexpr const char* kTakeOne =
    "UPDATE store_items SET sold = sold + 1 WHERE id = :id AND (stock IS NULL OR sold < stock) AND is_active = TRUE "
    "AND (available_from IS NULL OR available_from <= :a) AND (available_until IS NULL OR available_until > :b)";
inline constexpr const char* kPutOneBack = "UPDATE store_items SET sold = sold - 1 WHERE id = :id AND sold > 0";
inline constexpr const char* kInsertPurchase =
    "INSERT INTO store_purchases (id, user_id, item_id, price, status, idempotency_key, transaction_id, created_at) "
    "VALUES (:id, :u, :i, :p, 'completed', :k, :tx, :t) ON CONFLICT DO NOTHING";
inline const db::Columns<PurchaseRow> kPurchase{
    {"p.id", &PurchaseRow::id},
    {"p.user_id", &PurchaseRow::user_id},
    {"p.item_id", &PurchaseRow::item_id},
    {"i.name", &PurchaseRow::item_name},
    {"p.price", &PurchaseRow::price},
    {"p.status", &PurchaseRow::status},
    {"p.idempotency_key", &PurchaseRow::idempotency_key},
    {"p.transaction_id", &PurchaseRow::transaction_id},
    {"p.refund_transaction_id", &PurchaseRow::refund_transaction_id},
    {"p.refund_reason", &PurchaseRow::refund_reason},
    {"p.created_at", &PurchaseRow::created_at},
    {"p.refunded_at", &PurchaseRow::refunded_at},
};
inline constexpr const char* kPurchaseById =
    "FROM store_purchases p JOIN store_items i ON i.id = p.item_id WHERE p.id = :id";
inline constexpr const char* kPurchaseByKey =
    "FROM store_purchases p JOIN store_items i ON i.id = p.item_id WHERE p.user_id = :u AND p.idempotency_key = :k";
inline constexpr const char* kPurchasesOfFrom =
    "FROM store_purchases p JOIN store_items i ON i.id = p.item_id WHERE p.user_id = :u";
inline constexpr const char* kAllPurchasesFrom =
    "FROM store_purchases p JOIN store_items i ON i.id = p.item_id WHERE 1 = 1";
inline constexpr const char* kPurchasesOrder = " ORDER BY p.created_at DESC, p.id DESC LIMIT :lim OFFSET :off";
inline constexpr const char* kMarkRefunded =
    "UPDATE store_purchases SET status = 'refunded', refund_transaction_id = :tx, refunded_by = :by, refund_reason = "
    ":r, refunded_at = :t WHERE id = :id AND status = 'completed'";

// ---------------------------------------------------------------- inventory

inline constexpr const char* kInsertInventory =
    "INSERT INTO user_inventory (id, user_id, item_id, purchase_id, equipped, acquired_at) VALUES (:id, :u, :i, :p, "
    "FALSE, :t)";
inline constexpr const char* kRevokeInventory =
    "UPDATE user_inventory SET revoked_at = :t, equipped = FALSE WHERE purchase_id = :p AND revoked_at IS NULL";
inline constexpr const char* kOwnsItem =
    "SELECT COUNT(*) FROM user_inventory WHERE user_id = :u AND item_id = :i AND revoked_at IS NULL";
inline const db::Columns<InventoryRow> kInventory{
    {"v.id", &InventoryRow::id},
    {"v.item_id", &InventoryRow::item_id},
    {"i.kind", &InventoryRow::kind},
    {"i.name", &InventoryRow::name},
    {"i.image", &InventoryRow::image},
    {"v.equipped", &InventoryRow::equipped},
    {"v.acquired_at", &InventoryRow::acquired_at},
    {"i.properties", &InventoryRow::properties},
};
inline constexpr const char* kInventoryOf =
    "FROM user_inventory v JOIN store_items i ON i.id = v.item_id WHERE v.user_id = :u AND v.revoked_at IS NULL "
    "ORDER BY v.acquired_at DESC, v.id DESC";
inline constexpr const char* kEquip =
    "UPDATE user_inventory SET equipped = TRUE WHERE user_id = :u AND item_id = :i AND revoked_at IS NULL";
inline constexpr const char* kUnequip =
    "UPDATE user_inventory SET equipped = FALSE WHERE user_id = :u AND item_id = :i AND revoked_at IS NULL";
inline constexpr const char* kUnequipKind =
    "UPDATE user_inventory SET equipped = FALSE WHERE user_id = :u AND revoked_at IS NULL AND item_id IN (SELECT id "
    "FROM store_items WHERE kind = :k)";
inline constexpr const char* kCountEquippedKind =
    "SELECT COUNT(*) FROM user_inventory v JOIN store_items i ON i.id = v.item_id WHERE v.user_id = :u AND "
    "v.equipped = TRUE AND v.revoked_at IS NULL AND i.kind = :k AND v.item_id <> :i";

inline const db::Columns<BadgeOf> kBadge{
    {"v.user_id", &BadgeOf::user_id},
    {"i.id", &BadgeOf::item_id},
    {"i.name", &BadgeOf::name},
    {"i.image", &BadgeOf::image},
};
// Equipped badges of the users named :u (one query per user; lists are short).
inline constexpr const char* kBadgesOf =
    "FROM user_inventory v JOIN store_items i ON i.id = v.item_id WHERE v.user_id = :u AND v.equipped = TRUE AND "
    "v.revoked_at IS NULL AND i.kind = 'badge' ORDER BY v.acquired_at, v.id";

// ---------------------------------------------------------------- achievements

inline constexpr const char* kAddToCounter =
    "INSERT INTO achievement_counters (user_id, event_type, total, updated_at) VALUES (:u, :e, :a, :t) "
    "ON CONFLICT (user_id, event_type) DO UPDATE SET total = achievement_counters.total + excluded.total, "
    "updated_at = excluded.updated_at";
inline constexpr const char* kInsertUnlock =
    "INSERT INTO user_achievements (user_id, achievement, unlocked_at) VALUES (:u, :a, :t) "
    "ON CONFLICT (user_id, achievement) DO NOTHING";
inline constexpr const char* kSetUnlockPayment =
    "UPDATE user_achievements SET transaction_id = :tx WHERE user_id = :u AND achievement = :a";

inline const db::Columns<CounterRow> kCounterRow{
    {"event_type", &CounterRow::event_type},
    {"total", &CounterRow::total},
};
inline constexpr const char* kCountersOf = "FROM achievement_counters WHERE user_id = :u";
inline constexpr const char* kCounterOf = "FROM achievement_counters WHERE user_id = :u AND event_type = :e";

inline const db::Columns<UnlockRow> kUnlock{
    {"achievement", &UnlockRow::achievement},
    {"unlocked_at", &UnlockRow::unlocked_at},
};
inline constexpr const char* kUnlocksOf = "FROM user_achievements WHERE user_id = :u ORDER BY unlocked_at, achievement";

}  // namespace wp::store::sql
