#include "modules/accounts/principal_cache.hpp"

namespace wp::accounts {

std::uint64_t PrincipalCache::epoch() {
  std::lock_guard lock(mu_);
  return epoch_;
}

std::optional<SessionPrincipal> PrincipalCache::get(const std::string& session_id, std::int64_t now) {
  if (max_age_ms_ <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = by_session_.find(session_id);
  if (it == by_session_.end()) return std::nullopt;
  if (now - it->second.read_at >= max_age_ms_) {
    by_session_.erase(it);
    return std::nullopt;
  }
  return it->second.principal;
}

void PrincipalCache::put(const SessionPrincipal& p, std::uint64_t epoch, std::int64_t now) {
  if (max_age_ms_ <= 0) return;
  std::lock_guard lock(mu_);
  if (epoch != epoch_) return;
  if (by_session_.size() >= capacity_ && !by_session_.contains(p.session_id)) {
    std::erase_if(by_session_, [&](const auto& kv) { return now - kv.second.read_at >= max_age_ms_; });
    if (by_session_.size() >= capacity_) by_session_.clear();
  }
  by_session_[p.session_id] = {p, now};
}

// Revocations are rare: a scan of every entry is cheaper than an index by user
// kept up to date on every put.
void PrincipalCache::drop_user(const std::string& user_id) {
  std::lock_guard lock(mu_);
  ++epoch_;
  std::erase_if(by_session_, [&](const auto& kv) { return kv.second.principal.user_id == user_id; });
}

void PrincipalCache::clear() {
  std::lock_guard lock(mu_);
  ++epoch_;
  by_session_.clear();
}

}  // namespace wp::accounts
