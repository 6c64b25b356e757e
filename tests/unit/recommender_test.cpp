// The recommender without a database: the offline evaluation on a synthetic
// but structured set (users with tastes), and what it must never recommend.
// The numbers printed here are the ones in docs/architecture.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "modules/recommendations/recommender.hpp"

using namespace wp::recommendations;

namespace {

struct Synthetic {
  std::vector<Interaction> train;
  std::map<std::string, std::string> held_out;  // user -> video
  std::vector<VideoInfo> videos;
};

std::string vid(int i) { return "v" + std::to_string(1000 + i); }

// 5 tastes x 40 videos, 10 blockbusters everyone may watch; 400 users, each
// of one taste, watching ~10 videos of it (the cluster's popular ones more
// often), 2 at random and each blockbuster with probability 0.3. One of each
// user's taste videos is held out.
Synthetic make_set(unsigned seed) {
  constexpr int kTastes = 5, kPerTaste = 40, kBlockbusters = 10, kUsers = 400;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  Synthetic s;
  std::map<std::string, int> watchers;
  for (int u = 0; u < kUsers; ++u) {
    std::string user = "u" + std::to_string(u);
    int taste = u % kTastes;
    std::set<int> seen, of_taste;
    while (of_taste.size() < 10) {
      int i = taste * kPerTaste + static_cast<int>(kPerTaste * unit(rng) * unit(rng));
      if (seen.insert(i).second) of_taste.insert(i);
    }
    for (int k = 0; k < 2; ++k) seen.insert(static_cast<int>(kTastes * kPerTaste * unit(rng)));
    for (int b = 0; b < kBlockbusters; ++b)
      if (unit(rng) < 0.3) seen.insert(kTastes * kPerTaste + b);
    std::vector<int> taste_list(of_taste.begin(), of_taste.end());
    int hold = taste_list[static_cast<std::size_t>(unit(rng) * static_cast<double>(taste_list.size()))];
    s.held_out[user] = vid(hold);
    for (int i : seen) {
      if (i == hold) continue;
      s.train.push_back({user, vid(i), 1});
      ++watchers[vid(i)];
    }
  }
  for (int i = 0; i < kTastes * kPerTaste + kBlockbusters; ++i)
    s.videos.push_back({vid(i), "Video " + std::to_string(i), "uploader", watchers[vid(i)]});
  return s;
}

double hit_rate(const Synthetic& s, bool popular_only) {
  Recommender rec(s.train, s.videos);
  std::map<std::string, std::set<std::string>> seen;
  for (auto& i : s.train) seen[i.user_id].insert(i.video_id);
  int hits = 0;
  for (auto& [user, held] : s.held_out) {
    auto picks = popular_only ? rec.popular(seen[user], {}, 10) : rec.videos_for(user, {}, 10);
    hits += std::any_of(picks.begin(), picks.end(), [&](const Pick& p) { return p.object_id == held; }) ? 1 : 0;
  }
  return static_cast<double>(hits) / static_cast<double>(s.held_out.size());
}

}  // namespace

TEST(Recommender, BeatsMostPopularOnHitRateAt10) {
  for (unsigned seed : {42u, 7u, 2026u}) {
    auto s = make_set(seed);
    double rec = hit_rate(s, false), pop = hit_rate(s, true);
    std::printf("seed %u: hit-rate@10 co-watching %.3f, most popular %.3f\n", seed, rec, pop);
    EXPECT_GT(rec, pop + 0.1) << "seed " << seed;
  }
}

TEST(Recommender, NeverRecommendsSeenBlockedOrNonCandidateVideos) {
  std::vector<Interaction> in{{"me", "a", 1}, {"x", "a", 1}, {"x", "b", 1}, {"x", "private", 1},
                              {"x", "by_blocked", 1}, {"x", "mine", 1}};
  std::vector<VideoInfo> candidates{{"a", "A", "up", 5}, {"b", "B", "up", 1}, {"by_blocked", "C", "enemy", 9},
                                    {"mine", "M", "me", 3}, {"pop", "P", "up", 7}};
  Recommender rec(in, candidates);
  auto picks = rec.videos_for("me", {{}, {"enemy"}}, 10);
  std::vector<std::string> ids;
  for (auto& p : picks) ids.push_back(p.object_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"b", "pop"}));  // co-watched first, then popular to fill
  EXPECT_EQ(picks[0].reason, "Because you watched A");
  EXPECT_EQ(picks[1].reason, "Popular this week");
}

TEST(Recommender, FriendsBoostAndColdStart) {
  std::vector<Interaction> in{{"f1", "c", 1}, {"f2", "c", 2}, {"z", "d", 1}};
  std::vector<VideoInfo> candidates{{"c", "C", "up", 1}, {"d", "D", "up", 50}};
  Recommender rec(in, candidates);
  auto picks = rec.videos_for("newcomer", {{"f1", "f2"}, {}}, 2);
  ASSERT_EQ(picks.size(), 2u);
  EXPECT_EQ(picks[0].object_id, "c");
  EXPECT_EQ(picks[0].reason, "2 friends watched this");
  auto cold = rec.videos_for("stranger", {}, 2);
  ASSERT_EQ(cold.size(), 2u);
  EXPECT_EQ(cold[0].object_id, "d");  // popular in the last 7 days
}

// Groups (#22): what the members of my groups watched weighs less than a friend, more than nothing.
TEST(Recommender, GroupMatesBoostLessThanFriends) {
  std::vector<Interaction> in{{"mate1", "g", 1}, {"mate2", "g", 1}, {"friend", "f", 1}, {"z", "pop", 1}};
  std::vector<VideoInfo> candidates{{"g", "G", "up", 0}, {"f", "F", "up", 0}, {"pop", "P", "up", 90}};
  Recommender rec(in, candidates);
  Recommender::Social social{{"friend"}, {}, {"mate1", "mate2"}, {"grp"}};
  auto picks = rec.videos_for("me", social, 3);
  ASSERT_EQ(picks.size(), 3u);
  EXPECT_EQ(picks[0].object_id, "f");  // one friend (0.3) outweighs two group mates (0.2)
  EXPECT_EQ(picks[1].object_id, "g");
  EXPECT_EQ(picks[1].reason, "Watched in your groups");
  EXPECT_GT(picks[1].score, 0.0);
  EXPECT_EQ(picks[2].reason, "Popular this week");  // the cold start fills the rest
  // Without the groups, g is not recommended ahead of the popular video.
  auto alone = rec.videos_for("me", {{"friend"}, {}}, 2);
  EXPECT_EQ(alone[1].object_id, "pop");
}

TEST(Recommender, APartyOfMyGroupComesBeforeAStrangersParty) {
  std::vector<Interaction> in;
  Recommender rec(in, {});
  std::vector<LiveParty> live{{"p1", "Big", "h1", std::nullopt, {"h1", "a", "b", "c"}, std::nullopt},
                              {"p2", "Ours", "h2", std::nullopt, {"h2"}, std::string("grp")},
                              {"p3", "Friend", "h3", std::nullopt, {"h3", "f"}, std::nullopt}};
  auto picks = rec.parties_for("me", {{"f"}, {}, {}, {"grp"}}, live, 10);
  ASSERT_EQ(picks.size(), 3u);
  EXPECT_EQ(picks[0].object_id, "p3");  // a friend there, and more members than p2
  EXPECT_EQ(picks[1].object_id, "p2");
  EXPECT_EQ(picks[1].reason, "Live in your group");
  EXPECT_EQ(picks[2].object_id, "p1");
}

TEST(Recommender, LivePartiesWithFriendsFirstAndNeverABlockedHost) {
  std::vector<Interaction> in;
  Recommender rec(in, {});
  std::vector<LiveParty> live{{"p1", "One", "h1", std::nullopt, {"h1", "f"}},
                              {"p2", "Two", "enemy", std::nullopt, {"enemy", "f", "g"}},
                              {"p3", "Three", "h3", std::nullopt, {"h3"}}};
  auto picks = rec.parties_for("me", {{"f", "g"}, {"enemy"}}, live, 10);
  ASSERT_EQ(picks.size(), 2u);
  EXPECT_EQ(picks[0].object_id, "p1");
  EXPECT_EQ(picks[0].reason, "A friend is watching");
  EXPECT_EQ(picks[1].object_id, "p3");
}
