// The coin ledger: postings of balanced entries, balances, a wallet's
// history, and the check that proves the cached balances.
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

void move(soci::session& s, const Entry& e, const std::string& tx_id, long long now) {
  auto account = account_of(e.account_id);
  s << sql::kEnsureAccount, use(e.account_id), use(account.kind), use(account.user_id), use(now);
  long long amount = e.amount;
  soci::statement st = (s.prepare << sql::kMoveBalance, use(amount), use(e.account_id), use(amount));
  if (db::execute_counting(st) == 0) throw Error(ErrorCode::conflict, "Not enough coins.");
  std::string id = new_uuid_v7();
  s << sql::kInsertEntry, use(id), use(tx_id), use(e.account_id), use(amount), use(now);
}

}  // namespace

std::optional<std::string> post_in(soci::session& s, const Posting& p, std::int64_t now) {
  require_balanced(p);
  // Time-ordered ids: a wallet's history reads in the order it happened, within a millisecond too.
  std::string id = p.id.empty() ? new_uuid_v7() : p.id;
  std::string kind(to_string(p.kind));
  long long t = now;
  soci::statement st = (s.prepare << sql::kInsertTransaction, use(id), use(kind), use(p.ref), use(p.user_id),
                        use(p.memo), use(p.reverses_id), use(p.created_by), use(t));
  if (db::execute_counting(st) == 0) return std::nullopt;  // this key moved its coins before
  for (auto& e : p.entries) move(s, e, id, t);
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
