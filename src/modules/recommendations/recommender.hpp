#pragma once
// The ranking, without SQL: item-to-item co-watching (users who watched or
// liked X also watched Y, cosine-normalized), boosted by friends' activity
// and, less, by the activity of the members of the user's groups,
// excluding what the user has seen and the content of users blocked with
// them; "popular in the last 7 days" when there is nothing to go on.
// Deterministic for a given input (ties by id), so it can be evaluated
// offline (recommender_test.cpp: hit-rate@10 against most-popular).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "modules/recommendations/model.hpp"

namespace wp::recommendations {

class Recommender {
 public:
  // candidates: the videos that may be recommended at all (public, ready, not removed).
  Recommender(const std::vector<Interaction>& interactions, const std::vector<VideoInfo>& candidates);

  struct Social {
    std::set<std::string> friends;
    std::set<std::string> blocked;  // either way
    std::set<std::string> group_mates;  // active members of a group the user is in (friends and the user left out)
    std::set<std::string> groups;       // the user's groups (active membership)
  };

  std::vector<Pick> videos_for(const std::string& user_id, const Social& social, std::size_t n) const;
  // The most watched of the last 7 days, as a user with no history gets them.
  std::vector<Pick> popular(const std::set<std::string>& exclude, const Social& social, std::size_t n) const;
  // Live parties, friends or the user's groups there first, then the ones playing a video the user would like.
  std::vector<Pick> parties_for(const std::string& user_id, const Social& social, const std::vector<LiveParty>& live,
                                std::size_t n) const;

 private:
  bool allowed(const std::string& video_id, const Social& social) const;
  // For each video none of `seen`: how many of `people` watched or liked it.
  std::map<std::string, int> unseen_counts(const std::set<std::string>& people,
                                           const std::map<std::string, double>& seen) const;

  std::map<std::string, std::map<std::string, double>> by_user_;   // user -> video -> weight
  std::map<std::string, std::map<std::string, double>> by_video_;  // video -> user -> weight
  std::map<std::string, double> norm_;                             // video -> sqrt(sum of weight^2)
  std::map<std::string, VideoInfo> candidates_;
  std::vector<std::string> popular_;  // candidate ids, most viewed this week first (the first 500)
};

}  // namespace wp::recommendations
