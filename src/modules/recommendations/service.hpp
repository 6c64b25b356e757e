#pragma once
// Recommendations' rules: the background round that ranks videos and live
// parties per user (recommender.hpp) and stores them with a reason, and
// what a user reads back.
#include <cstdint>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "modules/recommendations/model.hpp"
#include "modules/recommendations/store.hpp"

namespace wp::recommendations {

struct Settings {
  int videos = 20;              // stored per user
  int parties = 10;
  int min_watch_seconds = 10;   // a shorter watch is no signal
  int users_per_round = 500;
  std::int64_t refresh_ms = 3'600'000;  // rows older than this are computed again
};

class RecommendationsService {
 public:
  RecommendationsService(Store& store, Settings settings) : store_(store), settings_(settings) {}

  // One round: the due users (new activity, no rows, or stale rows). Returns the users refreshed.
  int refresh(std::int64_t now);
  std::vector<RecommendationRow> for_user(const Principal& user);
  // Throws not_found unless it is the caller's row and not clicked yet.
  void click(const Principal& user, const std::string& id);

 private:
  Store& store_;
  Settings settings_;
};

}  // namespace wp::recommendations
