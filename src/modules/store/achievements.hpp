#pragma once
// Achievements: a declarative table of rules (a domain event type, the total
// that unlocks, the coins it pays), counters per user, and the day's
// activity reward. Events reach apply() from the inbox (inbox.hpp), on the
// blocking pool.
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain_events.hpp"
#include "core/notifier.hpp"
#include "core/principal.hpp"
#include "modules/store/service.hpp"
#include "modules/store/store.hpp"

namespace wp::store {

struct Rule {
  std::string_view key;          // stored in user_achievements.achievement
  std::string_view title;
  std::string_view description;
  std::string_view event_type;   // a domain event type (docs/architecture.md "Domain events")
  std::int64_t threshold;        // the user's total of that event's amounts that unlocks it
  std::int64_t reward;           // coins, paid once with the unlock
};

// The rules: one line each; nothing else names an achievement.
const std::vector<Rule>& achievement_rules();
// Whether an event of this type earns the day's activity reward.
bool daily_activity(std::string_view type);

// An achievement as a user sees it: the rule and their standing.
struct Progress {
  const Rule* rule = nullptr;
  std::int64_t progress = 0;  // capped at the threshold
  std::optional<std::int64_t> unlocked_at;
};

class AchievementsService {
 public:
  AchievementsService(Store& store, StoreService& coins) : store_(store), coins_(coins) {}
  // achievement_unlocked notices; unset, nobody is told.
  void set_notifier(Notifier& notifier) { notifier_ = &notifier; }

  // One event: the day's activity reward, the counters of its type, and the
  // unlocks they reach (each told once). Runs SQL.
  void apply(const DomainEvent& event);

  // Every rule with my progress; only what I unlocked.
  std::vector<Progress> all(const Principal& me);
  std::vector<Progress> mine(const Principal& me);

 private:
  // The day's reward once per user and day without a write per event: the
  // ledger's (kind, ref) key is what makes it once; this only saves the trips.
  bool paid_on(const std::string& user_id, const std::string& day);
  void remember_paid(const std::string& user_id, const std::string& day);

  Store& store_;
  StoreService& coins_;
  Notifier* notifier_ = nullptr;
  std::mutex mu_;
  std::string day_;                                  // the UTC day paid_ is about
  std::unordered_map<std::string, bool> paid_;       // users paid on day_
};

}  // namespace wp::store
