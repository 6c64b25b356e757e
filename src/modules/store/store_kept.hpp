#pragma once
// The store's statements that run on every posting (a daily credit on each
// user's first visit, a purchase) and every counted event, kept prepared on
// each pooled session (db/kept.hpp). Only the store's own files include it.
#include <optional>
#include <string>

#include "db/kept.hpp"
#include "db/soci_optional.hpp"
#include "modules/store/sql.hpp"
#include "modules/store/store.hpp"

namespace wp::store {

using OptText = std::optional<std::string>;

struct Store::Kept {
  explicit Kept(db::Database& db)
      : ensure_account(db, sql::kEnsureAccount),
        move_balance(db, sql::kMoveBalance),
        insert_transaction(db, sql::kInsertTransaction),
        insert_entry(db, sql::kInsertEntry),
        add_to_counter(db, sql::kAddToCounter),
        insert_unlock(db, sql::kInsertUnlock),
        counter(db, sql::kCounterRow, sql::kCounterOf) {}

  db::KeptWrite<std::string, std::string, OptText, long long> ensure_account;  // id, kind, user, at
  db::KeptWrite<long long, std::string, long long> move_balance;              // amount, id, amount
  // id, kind, ref, user, memo, reverses, by, at
  db::KeptWrite<std::string, std::string, std::string, std::string, std::string, OptText, OptText, long long>
      insert_transaction;
  db::KeptWrite<std::string, std::string, std::string, long long, long long> insert_entry;  // id, tx, account, amount, at
  db::KeptWrite<std::string, std::string, long long, long long> add_to_counter;  // user, event type, amount, at
  db::KeptWrite<std::string, std::string, long long> insert_unlock;             // user, achievement, at
  db::KeptSelect<CounterRow, std::string, std::string> counter;                   // user, event type
};

}  // namespace wp::store
