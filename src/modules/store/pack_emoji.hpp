#pragma once
// wp::EmojiPacks for the other modules: which emoji belong to which packs,
// kept in memory for a few seconds (every reaction asks), then whether the
// user owns one of them (SQL only for a pack's emoji). This node's catalog
// changes drop the index at once; another node's show within the TTL.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/emoji_packs.hpp"
#include "modules/store/service.hpp"

namespace wp::store {

class PackEmoji : public EmojiPacks {
 public:
  PackEmoji(StoreService& svc, std::chrono::milliseconds ttl) : svc_(svc), ttl_(ttl) {}
  bool may_use(const std::string& user_id, const std::string& emoji) override;
  void forget();

 private:
  using Index = std::unordered_map<std::string, std::vector<std::string>>;  // emoji -> pack item ids
  std::shared_ptr<const Index> index();

  StoreService& svc_;
  std::chrono::milliseconds ttl_;
  std::mutex mu_;
  std::shared_ptr<const Index> index_;
  std::chrono::steady_clock::time_point until_{};
};

}  // namespace wp::store
