// Purchases (debit, stock and grant in one transaction), refunds, and the
// inventory with what is equipped.
#include <soci/soci.h>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/store/sql.hpp"
#include "modules/store/store.hpp"

namespace wp::store {

using soci::use;

namespace {

using db::changed;

std::optional<PurchaseRow> by_key(soci::session& s, const std::string& user_id, const std::string& key) {
  return db::select_one(s, sql::kPurchase, sql::kPurchaseByKey, db::uses(user_id, key));
}

PurchaseOutcome replay(const PurchaseRow& p, const ItemRow& item) {
  if (p.item_id != item.id) throw_conflict("This idempotency key was used for another item.");
  return {p, true};
}

Posting purchase_posting(const PurchaseRow& p) {
  Posting post;
  post.id = p.transaction_id;
  post.kind = TxKind::purchase;
  post.ref = p.id;
  post.user_id = p.user_id;
  post.memo = p.item_name;
  post.entries = {{wallet_account(p.user_id), -p.price}, {kRevenueAccount, p.price}};
  return post;
}

}  // namespace

PurchaseOutcome Store::purchase(const std::string& user_id, const ItemRow& item,
                                const std::optional<std::string>& key, std::int64_t now) {
  return db_.tx([&](soci::session& s) -> PurchaseOutcome {
    if (key)
      if (auto seen = by_key(s, user_id, *key)) return replay(*seen, item);
    PurchaseRow p;
    p.id = new_uuid_v7();
    p.user_id = user_id;
    p.item_id = item.id;
    p.item_name = item.name;
    p.price = item.price;
    p.idempotency_key = key;
    p.transaction_id = new_uuid_v7();
    p.created_at = now;
    long long price = p.price, t = now;
    // The row first: a second request with the same key at the same instant
    // waits here for the first (PostgreSQL) and then answers with its purchase.
    if (!changed((s.prepare << sql::kInsertPurchase, use(p.id), use(user_id), use(item.id), use(price), use(p.idempotency_key),
                  use(p.transaction_id), use(t)))) {
      if (auto seen = key ? by_key(s, user_id, *key) : std::nullopt) return replay(*seen, item);
      throw Error(ErrorCode::unavailable, "The purchase changed meanwhile; try again.");
    }
    if (db::fetch_count(s, sql::kOwnsItem, db::uses(user_id, item.id)) > 0) throw_conflict("You already own this item.");
    if (!changed((s.prepare << sql::kTakeOne, use(item.id), use(t), use(t)))) {
      auto now_row = db::select_one(s, sql::kItem, sql::kItemById, db::uses(item.id));
      if (now_row && now_row->stock && now_row->sold >= *now_row->stock) throw_conflict("Sold out.");
      throw_conflict("This item is not on sale.");
    }
    post_in(s, purchase_posting(p), now);
    std::string inventory_id = new_uuid_v7();
    // The partial unique index (one live row per user and item) backs the check above under concurrency.
    s << sql::kInsertInventory, use(inventory_id), use(user_id), use(item.id), use(p.id), use(t);
    return {p, false};
  });
}

std::optional<PurchaseRow> Store::purchase_by_id(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kPurchase, sql::kPurchaseById, db::uses(id)); });
}

std::vector<PurchaseRow> Store::purchases(const std::string& user_id, const Window& w) {
  return db_.with([&](soci::session& s) {
    if (user_id.empty())
      return db::select_rows(s, sql::kPurchase, std::string(sql::kAllPurchasesFrom) + sql::kPurchasesOrder,
                             db::uses(w.limit, w.offset));
    return db::select_rows(s, sql::kPurchase, std::string(sql::kPurchasesOfFrom) + sql::kPurchasesOrder,
                           db::uses(user_id, w.limit, w.offset));
  });
}

long long Store::count_purchases(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    if (user_id.empty())
      return db::fetch_count(s, std::string("SELECT COUNT(*) ") + sql::kAllPurchasesFrom, [](soci::statement&) {});
    return db::fetch_count(s, std::string("SELECT COUNT(*) ") + sql::kPurchasesOfFrom, db::uses(user_id));
  });
}

std::optional<PurchaseRow> Store::refund(const std::string& purchase_id, const std::string& staff_id,
                                         const std::string& reason, std::int64_t now) {
  const bool pg = db_.dialect() == db::Dialect::postgresql;
  return db_.tx([&](soci::session& s) -> std::optional<PurchaseRow> {
    // PostgreSQL: FOR UPDATE of p only (the joined item row stays free for buyers).
    std::string rest = std::string(sql::kPurchaseById) + (pg ? " FOR UPDATE OF p" : "");
    auto p = db::select_one(s, sql::kPurchase, rest, db::uses(purchase_id));
    if (!p || p->status != PurchaseStatus::completed) return std::nullopt;
    long long t = now;
    // The item row before the accounts, as a purchase takes them: no deadlock between the two.
    s << sql::kPutOneBack, use(p->item_id);
    Posting back;
    back.kind = TxKind::refund;
    back.ref = p->id;
    back.user_id = p->user_id;
    back.memo = reason;
    back.reverses_id = p->transaction_id;
    back.created_by = staff_id;
    back.entries = {{wallet_account(p->user_id), p->price}, {kRevenueAccount, -p->price}};
    auto tx = post_in(s, back, now);
    if (!tx) throw Error(ErrorCode::internal, "purchase " + p->id + " has a refund posting but is not refunded");
    s << sql::kMarkRefunded, use(*tx), use(staff_id), use(reason), use(t), use(p->id);
    s << sql::kRevokeInventory, use(t), use(p->id);
    p->status = PurchaseStatus::refunded;
    p->refund_transaction_id = *tx;
    p->refund_reason = reason;
    p->refunded_at = now;
    return p;
  });
}

// ---------------------------------------------------------------- inventory

std::vector<InventoryRow> Store::inventory(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kInventory, sql::kInventoryOf, db::uses(user_id)); });
}

bool Store::equip(const std::string& user_id, const std::string& item_id, ItemKind kind, bool exclusive, int limit) {
  std::string k(to_string(kind));
  return db_.tx([&](soci::session& s) {
    if (db::fetch_count(s, sql::kOwnsItem, db::uses(user_id, item_id)) == 0) return false;
    if (exclusive)
      s << sql::kUnequipKind, use(user_id), use(k);
    else if (db::fetch_count(s, sql::kCountEquippedKind, db::uses(user_id, k, item_id)) >= limit)
      throw_conflict("At most " + std::to_string(limit) + " of these can be equipped at once.");
    s << sql::kEquip, use(user_id), use(item_id);
    return true;
  });
}

bool Store::unequip(const std::string& user_id, const std::string& item_id) {
  return db_.with([&](soci::session& s) { return changed((s.prepare << sql::kUnequip, use(user_id), use(item_id))); });
}

bool Store::owns(const std::string& user_id, const std::string& item_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kOwnsItem, db::uses(user_id, item_id)) > 0; });
}

std::vector<BadgeOf> Store::badges_of(const std::vector<std::string>& user_ids) {
  return db_.with([&](soci::session& s) {
    std::vector<BadgeOf> out;
    for (auto& u : user_ids)
      for (auto& b : db::select_rows(s, sql::kBadge, sql::kBadgesOf, db::uses(u))) out.push_back(std::move(b));
    return out;
  });
}

}  // namespace wp::store
