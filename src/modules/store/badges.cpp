#include "modules/store/badges.hpp"

namespace wp::store {

std::vector<BadgeView> BadgeCache::badges_of(const std::string& user_id) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(user_id); it != entries_.end() && it->second.until > now) return it->second.badges;
  }
  std::vector<BadgeView> out;
  auto by_user = svc_.badges_of({user_id});  // named: a temporary would end before the loop
  for (auto& b : by_user[user_id]) out.push_back({b.item_id, b.name, b.image});
  std::lock_guard lock(mu_);
  if (entries_.size() >= max_entries_) entries_.clear();  // crude but bounded: a refill costs one query per user
  entries_[user_id] = {out, now + ttl_};
  return out;
}

void BadgeCache::forget(const std::string& user_id) {
  std::lock_guard lock(mu_);
  entries_.erase(user_id);
}

}  // namespace wp::store
