#include "modules/analytics/live_stream.hpp"

#include <vector>

namespace wp::analytics {

bool LiveSubscribers::subscribe(const std::string& socket_id, Send send, std::int64_t now) {
  std::lock_guard lock(mu_);
  drop_lapsed(now);
  auto it = leases_.find(socket_id);
  if (it == leases_.end() && leases_.size() >= kMaxLiveSubscribers) return false;
  leases_[socket_id] = {std::move(send), now + kLiveLeaseMs};
  return true;
}

void LiveSubscribers::unsubscribe(const std::string& socket_id) {
  std::lock_guard lock(mu_);
  leases_.erase(socket_id);
}

bool LiveSubscribers::any(std::int64_t now) {
  std::lock_guard lock(mu_);
  drop_lapsed(now);
  return !leases_.empty();
}

void LiveSubscribers::send_all(const LiveTotals& totals, std::int64_t now) {
  std::vector<Send> targets;
  {
    std::lock_guard lock(mu_);
    drop_lapsed(now);
    for (auto& entry : leases_) targets.push_back(entry.second.send);
  }
  for (auto& send : targets) send(totals, now);
}

std::size_t LiveSubscribers::size() {
  std::lock_guard lock(mu_);
  return leases_.size();
}

void LiveSubscribers::drop_lapsed(std::int64_t now) {
  std::erase_if(leases_, [now](const auto& entry) { return entry.second.expires_at <= now; });
}

}  // namespace wp::analytics
