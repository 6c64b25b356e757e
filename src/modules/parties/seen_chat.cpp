#include "modules/parties/seen_chat.hpp"

#include <algorithm>
#include <functional>

namespace wp::parties {

namespace {
std::uint64_t key_of(const std::string& id) { return std::hash<std::string>{}(id); }
}  // namespace

bool SeenChat::first_time(const std::string& id) {
  auto key = key_of(id);
  if (keys_.count(key)) return false;
  remember(key, uuid_v7_ms(id));
  return true;
}

bool SeenChat::missed(const std::string& id, std::int64_t sent_at) {
  auto key = key_of(id);
  if (sent_at <= floor_ms_ || keys_.count(key)) return false;
  remember(key, sent_at);
  return true;
}

void SeenChat::remember(std::uint64_t key, std::int64_t ms) {
  keys_.insert(key);
  order_.emplace_back(key, ms);
  if (order_.size() <= kRemembered) return;
  // Forgotten: from now on nothing as old is replayed, so it cannot come twice.
  floor_ms_ = std::max(floor_ms_, order_.front().second);
  keys_.erase(order_.front().first);
  order_.pop_front();
}

std::int64_t uuid_v7_ms(const std::string& id) {
  // "xxxxxxxx-xxxx-7..." : the first 12 hex digits are the time.
  if (id.size() != 36 || id[8] != '-' || id[14] != '7') return 0;
  std::int64_t ms = 0;
  for (char c : id.substr(0, 8) + id.substr(9, 4)) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return 0;
    ms = ms * 16 + d;
  }
  return ms;
}

}  // namespace wp::parties
