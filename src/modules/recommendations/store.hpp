#pragma once
// Every read and write of recommendations (SQL text in sql.hpp).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "modules/recommendations/model.hpp"

namespace wp::recommendations {

// What one round of the job reads at once.
struct Snapshot {
  std::vector<Interaction> interactions;
  std::vector<VideoInfo> candidates;
  std::vector<std::pair<std::string, std::string>> friendships;
  std::vector<std::pair<std::string, std::string>> blocks;       // blocker, blocked
  std::vector<std::pair<std::string, std::string>> memberships;  // group, user (active)
  std::vector<LiveParty> live;
};

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  Snapshot snapshot(int min_watch_seconds, std::int64_t views_since);
  std::vector<std::string> due_users(std::int64_t stale_before, int limit);
  // Replaces the user's batch with picks, in one transaction (clicked rows of older batches stay).
  void replace(const std::string& user_id, const std::vector<Pick>& picks, std::int64_t now);
  // The latest batch, as far as it is still visible; marks it shown.
  std::vector<RecommendationRow> latest(const std::string& user_id, std::int64_t now);
  bool click(const std::string& user_id, const std::string& id, std::int64_t now);

 private:
  db::Database& db_;
};

}  // namespace wp::recommendations
