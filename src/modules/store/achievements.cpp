#include "modules/store/achievements.hpp"

#include <boost/json.hpp>

#include <map>

#include "core/clock.hpp"

namespace wp::store {

const std::vector<Rule>& achievement_rules() {
  static const std::vector<Rule> rules = {
      {"first_party", "Host", "Host your first watch party.", "party.created", 1, 50},
      {"ten_parties", "Party animal", "Join 10 watch parties.", "party.joined", 10, 100},
      {"ten_hours", "Marathon", "Watch 10 hours of video.", "watch.progress", 36000, 200},
      {"first_friend", "Friendly", "Make your first friend.", "friend.added", 1, 10},
      {"fifty_friends", "Popular", "Make 50 friends.", "friend.added", 50, 250},
      {"first_poll", "Pollster", "Create your first poll in a party.", "poll.created", 1, 20},
      {"first_upload", "Director", "Upload your first video.", "video.uploaded", 1, 30},
      {"hundred_messages", "Chatterbox", "Send 100 party chat messages.", "party.chat_sent", 100, 50},
  };
  return rules;
}

// What counts as the day's activity for its reward: using the product (watching,
// parties, chat, messages, uploads), not signing in or being befriended.
bool daily_activity(std::string_view type) {
  static constexpr std::string_view kActivity[] = {"watch.progress", "party.created", "party.joined",
                                                   "party.chat_sent", "party.reaction", "poll.created",
                                                   "message.sent", "comment.created", "video.uploaded"};
  for (auto t : kActivity)
    if (t == type) return true;
  return false;
}

void AchievementsService::apply(const DomainEvent& event) {
  if (event.user_id.empty()) return;
  // The day's activity reward goes in with the event's count, in one transaction.
  auto at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(event.at.time_since_epoch()).count();
  auto day = utc_day(at_ms);
  std::optional<Posting> daily;
  if (daily_activity(event.type) && !paid_on(event.user_id, day)) daily = coins_.daily_posting(event.user_id, at_ms);
  std::vector<Threshold> rules;
  for (auto& r : achievement_rules())
    if (r.event_type == event.type) rules.push_back({std::string(r.key), r.threshold, r.reward});
  std::vector<Threshold> unlocked;
  if (!rules.empty() && event.amount > 0)
    unlocked = store_.count_event(event.user_id, event.type, event.amount, rules, now_ms(), daily ? &*daily : nullptr);
  else if (daily)
    store_.post(*daily, at_ms);
  if (daily) remember_paid(event.user_id, day);
  for (auto& u : unlocked) {
    const Rule* rule = nullptr;
    for (auto& r : achievement_rules())
      if (r.key == u.achievement) rule = &r;
    boost::json::object data{{"achievement", u.achievement},
                             {"title", rule ? std::string(rule->title) : u.achievement},
                             {"coins", u.reward}};
    notify_quietly(notifier_, {event.user_id, "achievement_unlocked", boost::json::serialize(data), "", "",
                               "achievement:" + u.achievement});
  }
}

bool AchievementsService::paid_on(const std::string& user_id, const std::string& day) {
  std::lock_guard lock(mu_);
  if (day != day_) {
    day_ = day;
    paid_.clear();
  }
  return paid_.count(user_id) > 0;
}

void AchievementsService::remember_paid(const std::string& user_id, const std::string& day) {
  std::lock_guard lock(mu_);
  if (day == day_) paid_[user_id] = true;
}

std::vector<Progress> AchievementsService::all(const Principal& me) {
  std::map<std::string, std::int64_t> totals;
  for (auto& c : store_.counters(me.id)) totals[c.event_type] = c.total;
  std::map<std::string, std::int64_t> unlocked;
  for (auto& u : store_.unlocks(me.id)) unlocked[u.achievement] = u.unlocked_at;
  std::vector<Progress> out;
  for (auto& r : achievement_rules()) {
    Progress p{&r, std::min(totals[std::string(r.event_type)], r.threshold), std::nullopt};
    if (auto it = unlocked.find(std::string(r.key)); it != unlocked.end()) {
      p.unlocked_at = it->second;
      p.progress = r.threshold;
    }
    out.push_back(p);
  }
  return out;
}

std::vector<Progress> AchievementsService::mine(const Principal& me) {
  std::vector<Progress> out;
  for (auto& p : all(me))
    if (p.unlocked_at) out.push_back(p);
  return out;
}

}  // namespace wp::store
