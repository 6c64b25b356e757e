#pragma once
// Mobile home (#21): the app's first screen in one answer, assembled from
// the other modules' services through HomeSources (functions wired in
// src/app/mobile_home.cpp; this module sees none of their code).
//
// The sources answer for the caller: what they may see, nothing from a user
// blocked with them either way (each source's own query leaves those out, so
// a bounded section is still full). The assembly rules are here: the bounds,
// continue watching below 95 %, recommendations without what another section
// already shows, the popular videos when the recommender has nothing, and a
// section whose source is unavailable left empty rather than failing the screen.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "core/principal.hpp"

namespace wp::mobile {

struct HomeUser {
  std::string id, username;
};

struct HomeParty {
  std::string id, title;
  HomeUser host;
  std::optional<std::string> video_id, group_id;
  std::int64_t participant_count = 0;
  std::optional<std::int64_t> started_at;
};

struct HomeEvent {
  std::string id, title;
  HomeUser organizer;
  std::int64_t start_time = 0, end_time = 0;
  std::string status;  // upcoming or live
  std::optional<std::string> party_id;
};

struct HomeVideo {
  std::string id, title;
  HomeUser uploader;
  std::optional<double> duration;  // seconds, when known
  bool has_thumbnail = false;
};

// A video to resume: the latest viewing of it, stopped at position_s.
struct HomeResume {
  HomeVideo video;
  double position_s = 0;
  std::int64_t watched_at = 0;
};

struct HomeRecommendation {
  std::string type;  // video or party
  std::string id, title, reason;
};

struct HomeAnnouncement {
  std::string id, message, severity;
  std::optional<std::int64_t> expires_at;
  std::int64_t created_at = 0;
};

struct HomeUnreadMessages {
  std::int64_t messages = 0, conversations = 0;
};

// Each source answers for the user; `limit` is how many the section shows.
// An unset source leaves its section empty.
struct HomeSources {
  std::function<std::vector<HomeParty>(const Principal&, int limit)> live_parties;  // friends' and my groups'
  std::function<std::vector<HomeEvent>(const Principal&, int limit)> upcoming_events;  // organizing or going
  std::function<std::vector<HomeResume>(const Principal&, int limit)> continue_watching;  // latest first
  std::function<std::vector<HomeRecommendation>(const Principal&)> recommendations;  // best first
  std::function<std::vector<HomeVideo>(const Principal&, int limit)> popular_videos;  // most viewed recent ones
  std::function<std::int64_t(const Principal&)> unread_notifications;
  std::function<HomeUnreadMessages(const Principal&)> unread_messages;
  std::function<std::vector<HomeAnnouncement>(const Principal&)> announcements;  // active for the user
};

struct HomeLimits {
  int live_parties = 10;
  int upcoming_events = 5;
  int continue_watching = 10;
  int recommendations = 10;
  int announcements = 3;
};

// A resumable viewing stops before this share of the video.
inline constexpr double kFinishedShare = 0.95;

enum class RecommendationSource { recommender, popular };

struct Home {
  std::vector<HomeParty> live_parties;
  std::vector<HomeEvent> upcoming_events;
  std::vector<HomeResume> continue_watching;
  std::vector<HomeRecommendation> recommendations;
  RecommendationSource recommendations_source = RecommendationSource::recommender;
  std::int64_t unread_notifications = 0;
  HomeUnreadMessages unread_messages;
  std::vector<HomeAnnouncement> announcements;
  std::vector<std::string> unavailable;  // sections whose source was unavailable (503), left empty
};

class HomeService {
 public:
  HomeService(HomeSources sources, HomeLimits limits) : sources_(std::move(sources)), limits_(limits) {}

  // Runs SQL (through the sources): call it on the blocking pool. Throws the
  // first wp::Error when every section failed, and any error but `unavailable`.
  Home home(const Principal& user) const;
  const HomeLimits& limits() const { return limits_; }

 private:
  HomeSources sources_;
  HomeLimits limits_;
};

// Whether a viewing is still to be finished: begun, and before 95 % of a video of known length.
bool resumable(const HomeResume& r);

}  // namespace wp::mobile

WP_ENUM_NAMES(wp::mobile::RecommendationSource, {wp::mobile::RecommendationSource::recommender, "recommender"},
              {wp::mobile::RecommendationSource::popular, "popular"});
