// The mobile home's assembly rules (modules/mobile/home.hpp), over fake sources.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "modules/mobile/home.hpp"

namespace wp::mobile {
namespace {

const Principal kMe{"u-me", "me"};

HomeVideo video(const std::string& id, std::optional<double> duration = 100.0) {
  return {id, "Video " + id, {"u-up", "uploader"}, duration, false};
}

HomeResume resume(const std::string& id, double position, std::optional<double> duration = 100.0) {
  return {video(id, duration), position, 1000};
}

HomeParty party(const std::string& id) { return {id, "Party " + id, {"u-host", "host"}, {}, {}, 3, 5}; }

HomeRecommendation pick(const std::string& type, const std::string& id) { return {type, id, type + " " + id, "why"}; }

template <class T>
std::vector<T> many(int n, T (*make)(const std::string&)) {
  std::vector<T> out;
  for (int i = 0; i < n; ++i) out.push_back(make(std::to_string(i)));
  return out;
}

HomeParty party_n(const std::string& id) { return party(id); }
HomeEvent event_n(const std::string& id) { return {id, "Event", {"u-o", "o"}, 1, 2, "upcoming", {}}; }
HomeAnnouncement announcement_n(const std::string& id) { return {id, "Hello", "info", {}, 1}; }

TEST(MobileHome, EverySectionIsBoundedWhateverItsSourceReturns) {
  HomeSources s;
  std::vector<int> limits_asked;
  s.live_parties = [&](const Principal&, int limit) {
    limits_asked.push_back(limit);
    return many(30, party_n);
  };
  s.upcoming_events = [&](const Principal&, int limit) {
    limits_asked.push_back(limit);
    return many(30, event_n);
  };
  s.continue_watching = [&](const Principal&, int limit) {
    limits_asked.push_back(limit);
    std::vector<HomeResume> out;
    for (int i = 0; i < 30; ++i) out.push_back(resume("v" + std::to_string(i), 10));
    return out;
  };
  s.recommendations = [](const Principal&) {
    std::vector<HomeRecommendation> out;
    for (int i = 0; i < 30; ++i) out.push_back(pick("video", "r" + std::to_string(i)));
    return out;
  };
  s.announcements = [](const Principal&) { return many(30, announcement_n); };
  HomeLimits limits;
  limits.live_parties = 4;
  limits.upcoming_events = 3;
  limits.continue_watching = 5;
  limits.recommendations = 6;
  limits.announcements = 2;
  auto home = HomeService(s, limits).home(kMe);
  EXPECT_EQ(home.live_parties.size(), 4u);
  EXPECT_EQ(home.upcoming_events.size(), 3u);
  EXPECT_EQ(home.continue_watching.size(), 5u);
  EXPECT_EQ(home.recommendations.size(), 6u);
  EXPECT_EQ(home.announcements.size(), 2u);
  EXPECT_EQ(limits_asked, (std::vector<int>{4, 3, 5}));  // the sources are asked for the bound, not more
  EXPECT_TRUE(home.unavailable.empty());
}

TEST(MobileHome, ContinueWatchingKeepsOnlyViewingsBegunAndBelow95Percent) {
  EXPECT_TRUE(resumable(resume("a", 1)));
  EXPECT_TRUE(resumable(resume("a", 94.9)));
  EXPECT_FALSE(resumable(resume("a", 95)));   // 95 % is watched
  EXPECT_FALSE(resumable(resume("a", 120)));  // past the end
  EXPECT_FALSE(resumable(resume("a", 0)));    // never begun
  EXPECT_FALSE(resumable(resume("a", 10, std::nullopt)));  // no known length: no share to show
  EXPECT_FALSE(resumable(resume("a", 10, 0.0)));

  HomeSources s;
  s.continue_watching = [](const Principal&, int) {
    return std::vector<HomeResume>{resume("done", 99), resume("half", 50), resume("zero", 0), resume("end", 95)};
  };
  auto home = HomeService(s, {}).home(kMe);
  ASSERT_EQ(home.continue_watching.size(), 1u);
  EXPECT_EQ(home.continue_watching[0].video.id, "half");
}

TEST(MobileHome, RecommendationsLeaveOutWhatTheScreenAlreadyShows) {
  HomeSources s;
  s.live_parties = [](const Principal&, int) { return std::vector<HomeParty>{party("p1")}; };
  s.continue_watching = [](const Principal&, int) { return std::vector<HomeResume>{resume("v1", 30)}; };
  s.recommendations = [](const Principal&) {
    return std::vector<HomeRecommendation>{pick("video", "v1"), pick("party", "p1"), pick("video", "p1"),
                                           pick("party", "p2"), pick("video", "v2")};
  };
  bool popular_asked = false;
  s.popular_videos = [&](const Principal&, int) {
    popular_asked = true;
    return std::vector<HomeVideo>{video("pop")};
  };
  auto home = HomeService(s, {}).home(kMe);
  std::vector<std::string> ids;
  for (auto& r : home.recommendations) ids.push_back(r.type + ":" + r.id);
  // A video id equal to a party's is another object: kept.
  EXPECT_EQ(ids, (std::vector<std::string>{"video:p1", "party:p2", "video:v2"}));
  EXPECT_EQ(home.recommendations_source, RecommendationSource::recommender);
  EXPECT_FALSE(popular_asked);
}

TEST(MobileHome, PopularVideosWhenTheRecommenderHasNothing) {
  HomeSources s;
  s.continue_watching = [](const Principal&, int) { return std::vector<HomeResume>{resume("v1", 30)}; };
  s.recommendations = [](const Principal&) { return std::vector<HomeRecommendation>{}; };
  int asked = 0;
  s.popular_videos = [&](const Principal&, int limit) {
    asked = limit;
    return std::vector<HomeVideo>{video("v1"), video("v2"), video("v3"), video("v4")};
  };
  HomeLimits limits;
  limits.recommendations = 2;
  auto home = HomeService(s, limits).home(kMe);
  EXPECT_EQ(home.recommendations_source, RecommendationSource::popular);
  EXPECT_EQ(asked, 3);  // the bound plus what continue watching may take out
  ASSERT_EQ(home.recommendations.size(), 2u);
  EXPECT_EQ(home.recommendations[0].id, "v2");  // v1 is in continue watching
  EXPECT_EQ(home.recommendations[1].id, "v3");
  EXPECT_EQ(home.recommendations[0].type, "video");
}

TEST(MobileHome, RecommendationsAllShownElsewhereFallBackToPopular) {
  HomeSources s;
  s.continue_watching = [](const Principal&, int) { return std::vector<HomeResume>{resume("v1", 30)}; };
  s.recommendations = [](const Principal&) { return std::vector<HomeRecommendation>{pick("video", "v1")}; };
  s.popular_videos = [](const Principal&, int) { return std::vector<HomeVideo>{video("v9")}; };
  auto home = HomeService(s, {}).home(kMe);
  EXPECT_EQ(home.recommendations_source, RecommendationSource::popular);
  ASSERT_EQ(home.recommendations.size(), 1u);
  EXPECT_EQ(home.recommendations[0].id, "v9");
}

TEST(MobileHome, AnUnavailableSectionIsLeftEmptyAndNamed) {
  HomeSources s;
  s.live_parties = [](const Principal&, int) -> std::vector<HomeParty> {
    throw Error(ErrorCode::unavailable, "database busy");
  };
  s.recommendations = [](const Principal&) -> std::vector<HomeRecommendation> {
    throw Error(ErrorCode::unavailable, "database busy");
  };
  s.popular_videos = [](const Principal&, int) { return std::vector<HomeVideo>{video("pop")}; };
  s.unread_notifications = [](const Principal&) { return std::int64_t{7}; };
  s.unread_messages = [](const Principal&) { return HomeUnreadMessages{4, 2}; };
  auto home = HomeService(s, {}).home(kMe);
  EXPECT_TRUE(home.live_parties.empty());
  EXPECT_EQ(home.unavailable, (std::vector<std::string>{"live_parties", "recommendations"}));
  EXPECT_EQ(home.recommendations_source, RecommendationSource::popular);
  EXPECT_EQ(home.unread_notifications, 7);
  EXPECT_EQ(home.unread_messages.messages, 4);
  EXPECT_EQ(home.unread_messages.conversations, 2);
}

TEST(MobileHome, EverySectionUnavailableIsTheScreenUnavailable) {
  HomeSources s;
  s.unread_notifications = [](const Principal&) -> std::int64_t { throw Error(ErrorCode::unavailable, "down"); };
  s.announcements = [](const Principal&) -> std::vector<HomeAnnouncement> {
    throw Error(ErrorCode::unavailable, "down");
  };
  try {
    HomeService(s, {}).home(kMe);
    FAIL() << "expected the screen to be unavailable";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unavailable);
  }
}

TEST(MobileHome, OtherErrorsAreNotHidden) {
  HomeSources s;
  s.unread_notifications = [](const Principal&) { return std::int64_t{1}; };
  s.upcoming_events = [](const Principal&, int) -> std::vector<HomeEvent> {
    throw Error(ErrorCode::internal, "a bug");
  };
  EXPECT_THROW(HomeService(s, {}).home(kMe), Error);
}

TEST(MobileHome, SourcesAnswerForTheCaller) {
  HomeSources s;
  std::vector<std::string> callers;
  s.live_parties = [&](const Principal& p, int) {
    callers.push_back(p.id);
    return std::vector<HomeParty>{};
  };
  s.unread_notifications = [&](const Principal& p) {
    callers.push_back(p.id);
    return std::int64_t{0};
  };
  s.announcements = [&](const Principal& p) {
    callers.push_back(p.id);
    return std::vector<HomeAnnouncement>{};
  };
  HomeService(s, {}).home(kMe);
  EXPECT_EQ(callers, (std::vector<std::string>{"u-me", "u-me", "u-me"}));
}

TEST(MobileHome, UnsetSourcesLeaveEmptySections) {
  auto home = HomeService(HomeSources{}, {}).home(kMe);
  EXPECT_TRUE(home.live_parties.empty());
  EXPECT_TRUE(home.recommendations.empty());
  EXPECT_TRUE(home.unavailable.empty());
  EXPECT_EQ(home.unread_notifications, 0);
}

}  // namespace
}  // namespace wp::mobile
