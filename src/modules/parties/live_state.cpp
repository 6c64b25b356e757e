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

LiveState::Online MemoryLiveState::online_of(const std::string& party, const std::vector<std::string>& users) {
  std::lock_guard lock(presence_mu_);
  Online out{0, std::vector<bool>(users.size(), false)};
  auto it = online_.find(party);
  if (it == online_.end()) return out;
  out.count = static_cast<long long>(it->second.size());
  for (std::size_t i = 0; i < users.size(); ++i) out.among[i] = it->second.count(users[i]) > 0;
  return out;
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
