#include "modules/store/service.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/store/cosmetics.hpp"

namespace wp::store {

namespace {

constexpr std::int64_t kMaxCoins = 1'000'000'000;  // one movement; far below overflow when summed

void require_staff(const Principal& p) {
  if (!p.staff()) throw_forbidden();
}

void require_user_id(const std::string& id) {
  if (!is_uuid(id)) throw_validation("user_id", "Must be a user id (UUID).");
}

// Kinds worn one at a time: a second one takes the first off.
bool exclusive(ItemKind k) { return k == ItemKind::profile_theme || k == ItemKind::party_theme; }

void apply(ItemRow& row, const ItemInput& in) {
  if (in.kind) row.kind = *in.kind;
  if (in.name) row.name = *in.name;
  if (in.description) row.description = *in.description;
  if (in.image) row.image = *in.image;
  if (in.price) row.price = *in.price;
  if (in.stock) row.stock = *in.stock;
  if (in.is_active) row.is_active = *in.is_active;
  if (in.available_from) row.available_from = *in.available_from;
  if (in.available_until) row.available_until = *in.available_until;
  if (row.available_from && row.available_until && *row.available_until <= *row.available_from)
    throw_validation("available_until", "Must be after available_from.");
  if (row.stock && *row.stock < row.sold)
    throw_validation("stock", "Must be at least the " + std::to_string(row.sold) + " already sold.");
  // Checked against the kind it ends with (a kind changed alone must still fit what the item brings).
  row.properties = checked_properties(row.kind, in.properties.value_or(row.properties));
}

}  // namespace

std::string utc_day(std::int64_t epoch_ms) {
  std::time_t secs = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// ---------------------------------------------------------------- coins

std::int64_t StoreService::balance(const Principal& me) { return store_.balance(wallet_account(me.id)); }

Listed<TransactionRow> StoreService::history(const Principal& me, const Window& w) {
  return {store_.wallet_history(me.id, w), store_.count_wallet_history(me.id)};
}

bool StoreService::grant(const Principal& staff, const std::string& user_id, std::int64_t coins,
                         const std::string& reason, const std::optional<std::string>& key) {
  require_staff(staff);
  require_user_id(user_id);
  if (coins <= 0 || coins > kMaxCoins) throw_validation("coins", "Must be between 1 and 1000000000.");
  Posting p;
  p.kind = TxKind::grant;
  p.ref = key ? staff.id + ":" + *key : new_uuid();
  p.user_id = user_id;
  p.memo = reason;
  p.created_by = staff.id;
  p.entries = {{kIssuanceAccount, -coins}, {wallet_account(user_id), coins}};
  return store_.post(p, now_ms());
}

void StoreService::credit_purchase(const std::string& user_id, std::int64_t coins, const std::string& payment_ref) {
  if (coins <= 0 || coins > kMaxCoins) throw Error(ErrorCode::internal, "coin purchase of " + std::to_string(coins));
  if (payment_ref.empty()) throw Error(ErrorCode::internal, "coin purchase without a payment reference");
  Posting p;
  p.kind = TxKind::bought;
  p.ref = payment_ref;
  p.user_id = user_id;
  p.memo = "Coins bought";
  p.entries = {{kIssuanceAccount, -coins}, {wallet_account(user_id), coins}};
  if (!store_.post(p, now_ms())) spdlog::info("coins of payment {} were credited before", payment_ref);
}

std::optional<Posting> StoreService::daily_posting(const std::string& user_id, std::int64_t now) const {
  if (settings_.daily_coins <= 0) return std::nullopt;
  Posting p;
  p.kind = TxKind::daily;
  p.ref = user_id + ":" + utc_day(now);
  p.user_id = user_id;
  p.memo = "Daily activity";
  p.entries = {{kIssuanceAccount, -settings_.daily_coins}, {wallet_account(user_id), settings_.daily_coins}};
  return p;
}

LedgerCheck StoreService::check(const Principal& staff) {
  require_staff(staff);
  return store_.check();
}

// ---------------------------------------------------------------- catalog

Listed<ItemRow> StoreService::items(const Principal& me, bool all, std::optional<ItemKind> kind, const Window& w) {
  bool on_sale = !(all && me.staff());
  auto now = now_ms();
  return {store_.items(on_sale, now, kind, w), store_.count_items(on_sale, now, kind)};
}

ItemRow StoreService::item(const Principal& me, const std::string& id) {
  auto row = store_.item(id);
  if (!row || (!me.staff() && !row->on_sale(now_ms()))) throw_not_found();
  return *row;
}

ItemRow StoreService::create_item(const Principal& staff, const ItemInput& in) {
  require_staff(staff);
  ItemRow row;
  row.id = new_uuid_v7();
  row.created_at = row.updated_at = now_ms();
  apply(row, in);
  store_.insert_item(row, staff.id);
  catalog_changed();
  return row;
}

ItemRow StoreService::update_item(const Principal& staff, const std::string& id, const ItemInput& in) {
  require_staff(staff);
  auto row = store_.item(id);
  if (!row) throw_not_found();
  apply(*row, in);
  row->updated_at = now_ms();
  store_.update_item(*row);
  catalog_changed();
  return *store_.item(id);
}

// ---------------------------------------------------------------- purchases

PurchaseOutcome StoreService::buy(const Principal& me, const std::string& item_id,
                                  const std::optional<std::string>& key) {
  auto row = store_.item(item_id);
  if (!row) throw_not_found();
  auto now = now_ms();
  // A replay answers even after the item went off sale; a new purchase needs it on sale.
  if (!row->on_sale(now) && !key) throw_conflict("This item is not on sale.");
  return store_.purchase(me.id, *row, key, now);
}

Listed<PurchaseRow> StoreService::purchases(const Principal& me, const Window& w) {
  return {store_.purchases(me.id, w), store_.count_purchases(me.id)};
}

Listed<PurchaseRow> StoreService::all_purchases(const Principal& staff, const std::optional<std::string>& user_id,
                                                const Window& w) {
  require_staff(staff);
  if (user_id) require_user_id(*user_id);
  std::string whose = user_id.value_or("");
  return {store_.purchases(whose, w), store_.count_purchases(whose)};
}

PurchaseRow StoreService::purchase(const Principal& me, const std::string& id) {
  auto p = store_.purchase_by_id(id);
  if (!p || (p->user_id != me.id && !me.staff())) throw_not_found();
  return *p;
}

PurchaseRow StoreService::refund(const Principal& staff, const std::string& id, const std::string& reason) {
  require_staff(staff);
  if (!store_.purchase_by_id(id)) throw_not_found();
  auto p = store_.refund(id, staff.id, reason, now_ms());
  if (!p) throw_conflict("This purchase was refunded already.");
  equipped_changed(p->user_id);
  return *p;
}

// ---------------------------------------------------------------- inventory

std::vector<InventoryRow> StoreService::inventory(const Principal& me) { return store_.inventory(me.id); }

InventoryRow StoreService::owned(const Principal& me, const std::string& item_id) {
  for (auto& row : store_.inventory(me.id))
    if (row.item_id == item_id) return row;
  throw_not_found("You do not own this item.");
}

InventoryRow StoreService::equip(const Principal& me, const std::string& item_id) {
  auto row = owned(me, item_id);
  if (!store_.equip(me.id, item_id, row.kind, exclusive(row.kind), settings_.max_equipped_badges)) throw_not_found();
  equipped_changed(me.id);
  return owned(me, item_id);
}

InventoryRow StoreService::unequip(const Principal& me, const std::string& item_id) {
  owned(me, item_id);
  store_.unequip(me.id, item_id);
  equipped_changed(me.id);
  return owned(me, item_id);
}

std::map<std::string, std::vector<Badge>> StoreService::badges_of(const std::vector<std::string>& user_ids) {
  std::map<std::string, std::vector<Badge>> out;
  for (auto& b : store_.badges_of(user_ids)) out[b.user_id].push_back({b.item_id, b.name, b.image});
  return out;
}

// ---------------------------------------------------------------- cosmetics

Cosmetics StoreService::cosmetics_of(const std::string& user_id) {
  Cosmetics out;
  for (auto& row : store_.inventory(user_id)) {
    if (!row.equipped) continue;
    if (row.kind == ItemKind::profile_theme) out.profile_theme = row;
    if (row.kind == ItemKind::party_theme) out.party_theme = row;
  }
  return out;
}

std::vector<InventoryRow> StoreService::emoji_packs(const Principal& me) {
  std::vector<InventoryRow> out;
  for (auto& row : store_.inventory(me.id))
    if (row.kind == ItemKind::emoji_pack) out.push_back(std::move(row));
  return out;
}

std::vector<ItemRow> StoreService::all_emoji_packs() {
  // Every pack, on sale or not: a pack taken off sale still keeps its emoji for its owners.
  std::vector<ItemRow> out;
  for (int offset = 0;; offset += 500) {
    auto page = store_.items(false, now_ms(), ItemKind::emoji_pack, {500, offset});
    out.insert(out.end(), page.begin(), page.end());
    if (page.size() < 500) return out;
  }
}

bool StoreService::owns(const std::string& user_id, const std::string& item_id) { return store_.owns(user_id, item_id); }

}  // namespace wp::store
