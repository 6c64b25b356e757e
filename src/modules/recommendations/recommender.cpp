#include "modules/recommendations/recommender.hpp"

#include <algorithm>
#include <cmath>

namespace wp::recommendations {

namespace {

constexpr double kFriendBoost = 0.3;  // per friend who watched or liked it
constexpr double kGroupBoost = 0.1;   // per member of one of the user's groups who did
constexpr double kGroupParty = 1.0;   // a live party of one of the user's groups: as much as a friend there

void rank(std::vector<Pick>& picks, std::size_t n) {
  std::sort(picks.begin(), picks.end(), [](const Pick& a, const Pick& b) {
    return a.score != b.score ? a.score > b.score : a.object_id < b.object_id;
  });
  if (picks.size() > n) picks.resize(n);
}

}  // namespace

std::map<std::string, int> Recommender::unseen_counts(const std::set<std::string>& people,
                                                      const std::map<std::string, double>& seen) const {
  std::map<std::string, int> out;
  for (auto& person : people) {
    auto it = by_user_.find(person);
    if (it == by_user_.end()) continue;
    for (auto& [y, w] : it->second)
      if (!seen.count(y)) ++out[y];
  }
  return out;
}

Recommender::Recommender(const std::vector<Interaction>& interactions, const std::vector<VideoInfo>& candidates) {
  for (auto& i : interactions) {
    auto& w = by_user_[i.user_id][i.video_id];
    w = std::max(w, i.weight);  // a like outweighs a watch of the same video; they do not add up
  }
  for (auto& [user, videos] : by_user_)
    for (auto& [video, w] : videos) by_video_[video][user] = w;
  for (auto& [video, users] : by_video_) {
    double sum = 0;
    for (auto& [user, w] : users) sum += w * w;
    norm_[video] = std::sqrt(sum);
  }
  for (auto& c : candidates) candidates_[c.id] = c;
  std::vector<const VideoInfo*> by_views;
  for (auto& [id, v] : candidates_) by_views.push_back(&v);
  std::sort(by_views.begin(), by_views.end(), [](auto* a, auto* b) {
    return a->recent_views != b->recent_views ? a->recent_views > b->recent_views : a->id < b->id;
  });
  for (std::size_t i = 0; i < by_views.size() && i < 500; ++i) popular_.push_back(by_views[i]->id);
}

bool Recommender::allowed(const std::string& video_id, const Social& social) const {
  auto it = candidates_.find(video_id);
  return it != candidates_.end() && !social.blocked.count(it->second.uploader_id);
}

std::vector<Pick> Recommender::popular(const std::set<std::string>& exclude, const Social& social,
                                       std::size_t n) const {
  std::vector<Pick> out;
  for (auto& id : popular_) {
    if (out.size() >= n) break;
    if (!exclude.count(id) && allowed(id, social))
      out.push_back({ObjectType::video, id, static_cast<double>(candidates_.at(id).recent_views), "Popular this week"});
  }
  return out;
}

std::vector<Pick> Recommender::videos_for(const std::string& user_id, const Social& social, std::size_t n) const {
  static const std::map<std::string, double> none;
  auto mine = by_user_.find(user_id);
  const auto& seen = mine == by_user_.end() ? none : mine->second;
  std::map<std::string, double> score;
  std::map<std::string, std::pair<double, std::string>> because;  // y -> (best contribution, x)
  for (auto& [x, w_ux] : seen) {
    for (auto& [v, w_vx] : by_video_.at(x)) {
      if (v == user_id) continue;
      for (auto& [y, w_vy] : by_user_.at(v)) {
        if (seen.count(y)) continue;
        double c = w_ux * w_vx * w_vy / (norm_.at(x) * norm_.at(y));
        score[y] += c;
        auto& b = because[y];
        if (c > b.first || (c == b.first && x < b.second)) b = {c, x};
      }
    }
  }
  auto friends_on = unseen_counts(social.friends, seen);
  auto mates_on = unseen_counts(social.group_mates, seen);
  std::vector<Pick> out;
  std::set<std::string> ids;
  for (auto& [y, s] : score) ids.insert(y);
  for (auto& [y, k] : friends_on) ids.insert(y);
  for (auto& [y, k] : mates_on) ids.insert(y);
  for (auto& y : ids) {
    if (!allowed(y, social) || candidates_.at(y).uploader_id == user_id) continue;
    double co = score.count(y) ? score[y] : 0.0;
    int friends = friends_on.count(y) ? friends_on[y] : 0;
    int mates = mates_on.count(y) ? mates_on[y] : 0;
    std::string reason;
    if (friends > 0 && kFriendBoost * friends >= co) {
      reason = friends == 1 ? "A friend watched this" : std::to_string(friends) + " friends watched this";
    } else if (mates > 0 && kGroupBoost * mates >= co) {
      reason = "Watched in your groups";
    } else {
      auto x = candidates_.find(because[y].second);
      reason = x != candidates_.end() ? "Because you watched " + x->second.title : "Because of what you watched";
    }
    out.push_back({ObjectType::video, y, co + kFriendBoost * friends + kGroupBoost * mates, reason});
  }
  rank(out, n);
  if (out.size() < n) {  // not enough to go on: the rest is what is popular
    std::set<std::string> exclude;
    for (auto& [y, w] : seen) exclude.insert(y);
    for (auto& p : out) exclude.insert(p.object_id);
    for (auto& [id, v] : candidates_)
      if (v.uploader_id == user_id) exclude.insert(id);
    for (auto& p : popular(exclude, social, n - out.size())) {
      p.score = 0;
      out.push_back(p);
    }
  }
  return out;
}

std::vector<Pick> Recommender::parties_for(const std::string& user_id, const Social& social,
                                           const std::vector<LiveParty>& live, std::size_t n) const {
  std::map<std::string, double> liked;
  for (auto& p : videos_for(user_id, social, 50))
    if (p.score > 0) liked[p.object_id] = p.score;
  std::vector<Pick> out;
  for (auto& party : live) {
    if (social.blocked.count(party.host_id) || party.host_id == user_id) continue;
    if (std::find(party.members.begin(), party.members.end(), user_id) != party.members.end()) continue;
    int friends = 0;
    for (auto& m : party.members) friends += social.friends.count(m) ? 1 : 0;
    double affinity = party.video_id && liked.count(*party.video_id) ? liked[*party.video_id] : 0.0;
    const bool ours = party.group_id && social.groups.count(*party.group_id);
    std::string reason = friends == 1   ? "A friend is watching"
                         : friends > 1  ? std::to_string(friends) + " friends are watching"
                         : ours         ? "Live in your group"
                         : affinity > 0 ? "Playing a video you might like"
                                        : "Live now";
    out.push_back({ObjectType::party, party.id,
                   friends + (ours ? kGroupParty : 0.0) + affinity + 0.01 * party.members.size(), reason});
  }
  rank(out, n);
  return out;
}

}  // namespace wp::recommendations
