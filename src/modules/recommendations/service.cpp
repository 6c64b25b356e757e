#include "modules/recommendations/service.hpp"

#include <map>
#include <set>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "modules/recommendations/recommender.hpp"

namespace wp::recommendations {

namespace {
constexpr std::int64_t kWeekMs = 7LL * 86'400'000;
}

int RecommendationsService::refresh(std::int64_t now) {
  auto users = store_.due_users(now - settings_.refresh_ms, settings_.users_per_round);
  if (users.empty()) return 0;
  auto snap = store_.snapshot(settings_.min_watch_seconds, now - kWeekMs);
  Recommender rec(snap.interactions, snap.candidates);
  std::map<std::string, std::set<std::string>> friends, blocked;
  for (auto& [a, b] : snap.friendships) friends[a].insert(b), friends[b].insert(a);
  for (auto& [a, b] : snap.blocks) blocked[a].insert(b), blocked[b].insert(a);
  std::map<std::string, std::set<std::string>> members, groups;
  for (auto& [g, u] : snap.memberships) members[g].insert(u), groups[u].insert(g);
  for (auto& user : users) {
    Recommender::Social social{friends[user], blocked[user], {}, groups[user]};
    for (auto& g : social.groups)
      for (auto& m : members[g])
        if (m != user && !social.friends.count(m)) social.group_mates.insert(m);
    auto picks = rec.videos_for(user, social, static_cast<std::size_t>(settings_.videos));
    auto parties = rec.parties_for(user, social, snap.live, static_cast<std::size_t>(settings_.parties));
    picks.insert(picks.end(), parties.begin(), parties.end());
    store_.replace(user, picks, now);
  }
  return static_cast<int>(users.size());
}

std::vector<RecommendationRow> RecommendationsService::for_user(const Principal& user) {
  return store_.latest(user.id, now_ms());
}

void RecommendationsService::click(const Principal& user, const std::string& id) {
  if (!store_.click(user.id, id, now_ms())) throw_not_found("Recommendation not found, or its click is recorded.");
}

}  // namespace wp::recommendations
