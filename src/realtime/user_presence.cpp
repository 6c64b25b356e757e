#include "realtime/user_presence.hpp"

#include "core/clock.hpp"

namespace wp::realtime {

MemoryUserPresence::MemoryUserPresence(std::chrono::milliseconds ttl, std::chrono::milliseconds debounce, Clock clock)
    : ttl_ms_(ttl.count()), debounce_ms_(debounce.count()), clock_(clock ? std::move(clock) : Clock(now_ms)) {}

bool MemoryUserPresence::live(const std::string& user, std::int64_t now) const {
  auto it = entries_.find(user);
  if (it == entries_.end()) return false;
  for (auto& [node, expiry] : it->second)
    if (expiry > now) return true;
  return false;
}

void MemoryUserPresence::schedule_offline_if_gone(const std::string& user, std::int64_t now) {
  if (live(user, now)) return;
  entries_.erase(user);
  due_.emplace(user, now + debounce_ms_);  // an earlier due time stands
}

bool MemoryUserPresence::connect(const std::string& node, const std::string& user) {
  std::lock_guard lock(mu_);
  entries_[user][node] = clock_() + ttl_ms_;
  due_.erase(user);
  return announced_.insert(user).second;
}

void MemoryUserPresence::disconnect(const std::string& node, const std::string& user) {
  std::lock_guard lock(mu_);
  auto now = clock_();
  if (auto it = entries_.find(user); it != entries_.end()) it->second.erase(node);
  schedule_offline_if_gone(user, now);
}

void MemoryUserPresence::renew(const std::string& node, const std::vector<std::string>& users, bool restore) {
  std::lock_guard lock(mu_);
  auto expiry = clock_() + ttl_ms_;
  for (auto& user : users) {
    auto it = entries_.find(user);
    if (it != entries_.end() && it->second.count(node))
      it->second[node] = expiry;
    else if (restore)
      entries_[user][node] = expiry;
  }
}

std::vector<std::string> MemoryUserPresence::take_offline() {
  std::lock_guard lock(mu_);
  auto now = clock_();
  std::vector<std::string> dead_users;
  for (auto& [user, nodes] : entries_) {
    std::erase_if(nodes, [now](auto& entry) { return entry.second <= now; });
    if (nodes.empty()) dead_users.push_back(user);
  }
  for (auto& user : dead_users) schedule_offline_if_gone(user, now);
  std::vector<std::string> gone;
  for (auto it = due_.begin(); it != due_.end();) {
    if (it->second > now) {
      ++it;
      continue;
    }
    if (!live(it->first, now)) {
      announced_.erase(it->first);
      gone.push_back(it->first);
    }
    it = due_.erase(it);
  }
  return gone;
}

std::vector<bool> MemoryUserPresence::online(const std::vector<std::string>& users) {
  std::lock_guard lock(mu_);
  auto now = clock_();
  std::vector<bool> out;
  out.reserve(users.size());
  for (auto& user : users) out.push_back(live(user, now));
  return out;
}

}  // namespace wp::realtime
