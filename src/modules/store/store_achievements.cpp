// Achievement progress: a counter per user and event type, and unlocks paid
// once, in the transaction that moves the counter.
#include <soci/soci.h>

#include "db/affected.hpp"
#include "db/columns.hpp"
#include "modules/store/sql.hpp"
#include "modules/store/store.hpp"
#include "modules/store/store_kept.hpp"

namespace wp::store {

using soci::use;

std::vector<Threshold> Store::count_event(const std::string& user_id, const std::string& event_type,
                                          std::int64_t amount, const std::vector<Threshold>& rules,
                                          std::int64_t now, const Posting* also) {
  long long a = amount, t = now;
  return db_.tx([&](soci::session& s) {
    if (also) post_in(s, *also, now);
    kept_->add_to_counter.run(s, user_id, event_type, a, t);
    auto row = kept_->counter.one(s, user_id, event_type);
    const std::int64_t total = row ? row->total : 0;
    std::vector<Threshold> unlocked;
    for (auto& rule : rules) {
      if (total < rule.threshold) continue;
      if (kept_->insert_unlock.run(s, user_id, rule.achievement, t) == 0) continue;  // unlocked before: paid before
      if (rule.reward > 0) {
        Posting pay;
        pay.kind = TxKind::achievement;
        pay.ref = user_id + ":" + rule.achievement;
        pay.user_id = user_id;
        pay.memo = rule.achievement;
        pay.entries = {{kIssuanceAccount, -rule.reward}, {wallet_account(user_id), rule.reward}};
        if (auto tx = post_in(s, pay, now)) s << sql::kSetUnlockPayment, use(*tx), use(user_id), use(rule.achievement);
      }
      unlocked.push_back(rule);
    }
    return unlocked;
  });
}

std::vector<CounterRow> Store::counters(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kCounterRow, sql::kCountersOf, db::uses(user_id)); });
}

std::vector<UnlockRow> Store::unlocks(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kUnlock, sql::kUnlocksOf, db::uses(user_id)); });
}

}  // namespace wp::store
