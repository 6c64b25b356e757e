#include "modules/store/pack_emoji.hpp"

#include "modules/store/cosmetics.hpp"

namespace wp::store {

std::shared_ptr<const PackEmoji::Index> PackEmoji::index() {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (index_ && now < until_) return index_;
  }
  // Built outside the lock (SQL); two callers at once both build, and the last one keeps its copy.
  auto fresh = std::make_shared<Index>();
  for (auto& pack : svc_.all_emoji_packs())
    for (auto& e : pack_emoji(pack.properties)) (*fresh)[e].push_back(pack.id);
  std::lock_guard lock(mu_);
  index_ = fresh;
  until_ = now + ttl_;
  return fresh;
}

bool PackEmoji::may_use(const std::string& user_id, const std::string& emoji) {
  auto packs = index();
  auto it = packs->find(emoji);
  if (it == packs->end()) return true;
  for (auto& item_id : it->second)
    if (svc_.owns(user_id, item_id)) return true;
  return false;
}

void PackEmoji::forget() {
  std::lock_guard lock(mu_);
  until_ = {};
}

}  // namespace wp::store
