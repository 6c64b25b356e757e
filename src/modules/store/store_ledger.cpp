// The coin ledger: postings of balanced entries, balances, a wallet's
// history, and the check that proves the cached balances.
#include <soci/soci.h>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/store/sql.hpp"
#include "modules/store/store.hpp"
#include "modules/store/store_kept.hpp"

namespace wp::store {

using soci::use;

namespace {

struct AccountOf {
  std::string kind;
  std::optional<std::string> user_id;
};

AccountOf account_of(const std::string& id) {
  static const std::string wallet = wallet_account("");
  if (id.rfind(wallet, 0) == 0) return {"wallet", id.substr(wallet.size())};
  if (id == kIssuanceAccount) return {"issuance", std::nullopt};
  if (id == kRevenueAccount) return {"revenue", std::nullopt};
  throw Error(ErrorCode::internal, "unknown coin account " + id);
}

void require_balanced(const Posting& p) {
  std::int64_t sum = 0;
  for (auto& e : p.entries) sum += e.amount;
  if (p.entries.size() < 2 || sum != 0)
    throw Error(ErrorCode::internal, "unbalanced coin posting " + std::string(to_string(p.kind)) + " " + p.ref);
}

}  // namespace

Store::Store(db::Database& db) : db_(db), kept_(std::make_unique<Kept>(db)) {}
Store::~Store() = default;

void Store::move(soci::session& s, const Entry& e, const std::string& tx_id, long long now) {
  auto account = account_of(e.account_id);
  kept_->ensure_account.run(s, e.account_id, account.kind, account.user_id, now);
  long long amount = e.amount;
  if (kept_->move_balance.run(s, amount, e.account_id, amount) == 0) throw Error(ErrorCode::conflict, "Not enough coins.");
  kept_->insert_entry.run(s, new_uuid_v7(), tx_id, e.account_id, amount, now);
}

std::optional<std::string> Store::post_in(soci::session& s, const Posting& p, std::int64_t now) {
  require_balanced(p);
  // Time-ordered ids: a wallet's history reads in the order it happened, within a millisecond too.
  std::string id = p.id.empty() ? new_uuid_v7() : p.id;
  if (kept_->insert_transaction.run(s, id, std::string(to_string(p.kind)), p.ref, p.user_id, p.memo, p.reverses_id,
                                    p.created_by, now) == 0)
    return std::nullopt;  // this key moved its coins before
  for (auto& e : p.entries) move(s, e, id, now);
  return id;
}

bool Store::post(const Posting& p, std::int64_t now) {
  return db_.tx([&](soci::session& s) { return post_in(s, p, now).has_value(); });
}

std::int64_t Store::balance(const std::string& account_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kBalance, db::uses(account_id)); });
}

std::vector<TransactionRow> Store::wallet_history(const std::string& user_id, const Window& w) {
  auto account = wallet_account(user_id);
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kWalletTransaction, std::string(sql::kWalletFrom) + sql::kWalletOrder,
                           db::uses(account, w.limit, w.offset));
  });
}

long long Store::count_wallet_history(const std::string& user_id) {
  auto account = wallet_account(user_id);
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, std::string("SELECT COUNT(*) ") + sql::kWalletFrom, db::uses(account));
  });
}

LedgerCheck Store::check() {
  return db_.with([&](soci::session& s) {
    auto none = [](soci::statement&) {};
    LedgerCheck c;
    c.unbalanced_transactions = db::fetch_count(s, sql::kUnbalanced, none);
    c.short_transactions = db::fetch_count(s, sql::kShortTransactions, none);
    c.mismatched_accounts = db::fetch_count(s, sql::kMismatchedAccounts, none);
    c.negative_wallets = db::fetch_count(s, sql::kNegativeWallets, none);
    c.transactions = db::fetch_count(s, sql::kCountTransactions, none);
    c.entries = db::fetch_count(s, sql::kCountEntries, none);
    return c;
  });
}

}  // namespace wp::store
