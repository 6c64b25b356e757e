#include "modules/parties/live_state.hpp"

namespace wp::parties {

std::optional<std::string> MemoryLiveState::swap_playback(const std::string& party, long long expected,
                                                          long long version, const std::string& playback_json,
                                                          const std::string& message, bool end_wait) {
  std::lock_guard lock(playback_mu_);
  auto it = playback_.find(party);
  if (it != playback_.end() && it->second.version > expected) return it->second.json;
  playback_[party] = {version, playback_json};
  if (end_wait) {
    std::lock_guard presence(presence_mu_);
    buffering_.erase(party);
  }
  hub_.broadcast(party, realtime::make_message(message));
  return std::nullopt;
}

std::optional<std::string> MemoryLiveState::playback(const std::string& party) {
  std::lock_guard lock(playback_mu_);
  auto it = playback_.find(party);
  if (it == playback_.end()) return std::nullopt;
  return it->second.json;
}

void MemoryLiveState::set_online(const std::string& party, const std::string& user, bool online) {
  std::lock_guard lock(presence_mu_);
  if (online) {
    online_[party].insert(user);
    return;
  }
  auto it = online_.find(party);
  if (it == online_.end()) return;
  it->second.erase(user);
  if (it->second.empty()) online_.erase(it);
}

std::set<std::string> MemoryLiveState::online(const std::string& party) {
  std::lock_guard lock(presence_mu_);
  auto it = online_.find(party);
  return it == online_.end() ? std::set<std::string>{} : it->second;
}

std::pair<bool, long long> MemoryLiveState::set_buffering(const std::string& party, const std::string& user,
                                                          bool buffering) {
  std::lock_guard lock(presence_mu_);
  auto& waiting = buffering_[party];
  bool changed = buffering ? waiting.insert(user).second : waiting.erase(user) > 0;
  return {changed, static_cast<long long>(waiting.size())};
}

void MemoryLiveState::forget(const std::string& party) {
  {
    std::lock_guard lock(presence_mu_);
    buffering_.erase(party);
  }
  // The database keeps the playback; it is loaded again with the party.
  std::lock_guard lock(playback_mu_);
  playback_.erase(party);
}

}  // namespace wp::parties
