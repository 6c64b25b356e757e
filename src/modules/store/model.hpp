#pragma once
// Coins, the store catalog, purchases, inventory and achievements, as the
// store reads them, and the vocabulary of their states.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::store {

enum class ItemKind { badge, emoji_pack, profile_theme, party_theme };
enum class PurchaseStatus { completed, refunded };
// Why coins moved: each kind has its own idempotency key space (coin_transactions.ref).
enum class TxKind { grant, bought, achievement, daily, purchase, refund };
enum class AccountKind { wallet, issuance, revenue };

// The system's own accounts; a user's wallet is wallet_account(user_id).
inline constexpr const char* kIssuanceAccount = "system:issuance";
inline constexpr const char* kRevenueAccount = "system:revenue";
inline std::string wallet_account(const std::string& user_id) { return "wallet:" + user_id; }

// One leg of a ledger transaction: amount > 0 credits the account, < 0 debits it.
struct Entry {
  std::string account_id;
  std::int64_t amount = 0;
};

// A movement to record: its legs must sum to zero (the store refuses otherwise).
struct Posting {
  std::string id;  // empty: a new one
  TxKind kind = TxKind::grant;
  std::string ref;      // unique per kind: a second posting with it changes nothing
  std::string user_id;  // whose wallet it concerns
  std::string memo;
  std::optional<std::string> reverses_id;
  std::optional<std::string> created_by;
  std::vector<Entry> entries;
};

struct TransactionRow {
  std::string id;
  TxKind kind = TxKind::grant;
  std::string ref;
  std::string memo;
  std::optional<std::string> reverses_id;
  std::int64_t created_at = 0;
  std::int64_t amount = 0;  // the wallet's side, when read for one user
};

struct ItemRow {
  std::string id;
  ItemKind kind = ItemKind::badge;
  std::string name, description, image;
  std::int64_t price = 0;
  std::optional<std::int64_t> stock;  // nullopt: unlimited
  std::int64_t sold = 0;
  bool is_active = true;
  std::optional<std::int64_t> available_from, available_until;
  std::int64_t created_at = 0, updated_at = 0;
  std::string properties = "{}";  // JSON by kind (cosmetics.hpp): a theme's colours, a pack's emoji
  bool on_sale(std::int64_t now) const {
    return is_active && (!available_from || *available_from <= now) && (!available_until || now < *available_until);
  }
};

// What staff give when creating or changing an item (absent: unchanged).
struct ItemInput {
  std::optional<ItemKind> kind;
  std::optional<std::string> name, description, image;
  std::optional<std::int64_t> price;
  std::optional<std::optional<std::int64_t>> stock;  // inner nullopt: unlimited
  std::optional<bool> is_active;
  std::optional<std::optional<std::int64_t>> available_from, available_until;
  std::optional<std::string> properties;  // a JSON object, checked against the kind
};

struct PurchaseRow {
  std::string id;
  std::string user_id;
  std::string item_id;
  std::string item_name;
  std::int64_t price = 0;
  PurchaseStatus status = PurchaseStatus::completed;
  std::optional<std::string> idempotency_key;
  std::string transaction_id;
  std::optional<std::string> refund_transaction_id;
  std::optional<std::string> refund_reason;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> refunded_at;
};

struct InventoryRow {
  std::string id;
  std::string item_id;
  ItemKind kind = ItemKind::badge;
  std::string name, image;
  bool equipped = false;
  std::int64_t acquired_at = 0;
  std::string properties = "{}";  // the item's
};

// An equipped badge as the profile and party chat show it.
struct Badge {
  std::string item_id;
  std::string name, image;
};

struct BadgeOf {
  std::string user_id;
  std::string item_id, name, image;
};

// Achievements: a user's running total of one domain event type, and an unlock.
struct CounterRow {
  std::string event_type;
  std::int64_t total = 0;
};
struct UnlockRow {
  std::string achievement;
  std::int64_t unlocked_at = 0;
};

// GET /api/store/staff/ledger/check/: every number must be zero.
struct LedgerCheck {
  long long unbalanced_transactions = 0;  // entries not summing to zero
  long long short_transactions = 0;       // fewer than two entries
  long long mismatched_accounts = 0;      // cached balance != sum of entries
  long long negative_wallets = 0;
  long long transactions = 0, entries = 0;
  bool ok() const {
    return unbalanced_transactions == 0 && short_transactions == 0 && mismatched_accounts == 0 &&
           negative_wallets == 0;
  }
};

}  // namespace wp::store

WP_ENUM_NAMES(wp::store::ItemKind, {wp::store::ItemKind::badge, "badge"},
              {wp::store::ItemKind::emoji_pack, "emoji_pack"}, {wp::store::ItemKind::profile_theme, "profile_theme"},
              {wp::store::ItemKind::party_theme, "party_theme"});
WP_ENUM_NAMES(wp::store::PurchaseStatus, {wp::store::PurchaseStatus::completed, "completed"},
              {wp::store::PurchaseStatus::refunded, "refunded"});
WP_ENUM_NAMES(wp::store::TxKind, {wp::store::TxKind::grant, "grant"}, {wp::store::TxKind::bought, "bought"},
              {wp::store::TxKind::achievement, "achievement"}, {wp::store::TxKind::daily, "daily"},
              {wp::store::TxKind::purchase, "purchase"}, {wp::store::TxKind::refund, "refund"});
WP_ENUM_NAMES(wp::store::AccountKind, {wp::store::AccountKind::wallet, "wallet"},
              {wp::store::AccountKind::issuance, "issuance"}, {wp::store::AccountKind::revenue, "revenue"});
