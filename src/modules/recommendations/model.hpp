#pragma once
// Recommendations (issue #22, ContentRecommendation): per-user ranked videos
// and parties to join now, computed in the background.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::recommendations {

enum class ObjectType { video, party };

// A user's interest in a video: watched (seconds) or liked.
struct Interaction {
  std::string user_id;
  std::string video_id;
  double weight = 1;  // 1 for a watch, 2 for a like (the stronger signal)
};

// What the job knows about a candidate video.
struct VideoInfo {
  std::string id;
  std::string title;
  std::string uploader_id;
  std::int64_t recent_views = 0;  // in the last 7 days: the cold start's popularity
};

struct LiveParty {
  std::string id;
  std::string title;
  std::string host_id;
  std::optional<std::string> video_id;
  std::vector<std::string> members;  // active participants
  std::optional<std::string> group_id;  // hosted by a group
};

struct Pick {
  ObjectType type = ObjectType::video;
  std::string object_id;
  double score = 0;
  std::string reason;
};

struct RecommendationRow {
  std::string id;
  std::string user_id;
  ObjectType object_type = ObjectType::video;
  std::string object_id;
  std::string title;  // joined from the video or party
  double score = 0;
  std::string reason;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> shown_at;
  std::optional<std::int64_t> clicked_at;
};

}  // namespace wp::recommendations

WP_ENUM_NAMES(wp::recommendations::ObjectType, {wp::recommendations::ObjectType::video, "video"},
              {wp::recommendations::ObjectType::party, "party"});
