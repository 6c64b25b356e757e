#pragma once
// wp::Badges for the other modules: equipped badges per user, cached for a
// few seconds (party chat asks for each message). This node's equips and
// refunds drop the user's entry at once; another node's show within the TTL.
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/badges.hpp"
#include "modules/store/service.hpp"

namespace wp::store {

class BadgeCache : public Badges {
 public:
  BadgeCache(StoreService& svc, std::chrono::milliseconds ttl, std::size_t max_entries = 10'000)
      : svc_(svc), ttl_(ttl), max_entries_(max_entries) {}
  std::vector<BadgeView> badges_of(const std::string& user_id) override;
  void forget(const std::string& user_id);

 private:
  struct Entry {
    std::vector<BadgeView> badges;
    std::chrono::steady_clock::time_point until;
  };
  StoreService& svc_;
  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace wp::store
