#include "modules/accounts/session_touches.hpp"

#include <algorithm>

namespace wp::accounts {

bool SessionTouches::note(const std::string& session_id, std::int64_t at) {
  std::lock_guard lock(mu_);
  auto it = pending_.find(session_id);
  if (it != pending_.end()) {
    it->second = std::max(it->second, at);
    return true;
  }
  if (pending_.size() >= capacity_) return false;
  pending_.emplace(session_id, at);
  return true;
}

std::vector<SessionTouch> SessionTouches::take() {
  std::unordered_map<std::string, std::int64_t> taken;
  {
    std::lock_guard lock(mu_);
    taken.swap(pending_);
  }
  std::vector<SessionTouch> out;
  out.reserve(taken.size());
  for (auto& [id, at] : taken) out.push_back({id, at});
  return out;
}

}  // namespace wp::accounts
