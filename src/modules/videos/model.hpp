#pragma once
// Rows of the videos tables, as store reads and writes them, and the
// inputs the service takes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::videos {

// The vocabulary of videos. Each has one string table (below the namespace):
// the store, JSON and client input all convert through it.
enum class VideoStatus { processing, ready, failed };
enum class SourceType { upload, external };
enum class JobState { queued, running, succeeded, failed, cancelled };
// The orderings of the video list, named as the `ordering` query parameter.
// Who may see a video: anyone, the uploader (and staff, and members of a party
// playing it), or also the uploader's friends (the social graph). is_public
// stays, true exactly when the visibility is public.
enum class VideoVisibility { public_, private_, friends };
enum class VideoOrder { newest, oldest, most_viewed, least_viewed, most_liked, least_liked, title, title_desc };

struct VideoRow {
  std::string id;
  std::string uploaded_by_id;
  std::string uploader_username;  // joined from users
  std::string title;
  std::string description;
  std::string category;
  std::string tags;  // normalized, joined by spaces (tags.hpp)
  SourceType source_type = SourceType::upload;
  std::string external_url;
  std::string file_path;  // relative to data_dir
  std::string original_filename;
  std::string mime_type;
  std::int64_t file_size = 0;
  std::string thumbnail;  // relative to data_dir, or empty
  std::optional<double> duration;
  std::optional<int> width;
  std::optional<int> height;
  VideoStatus status = VideoStatus::processing;
  std::string processing_error;
  bool is_public = true;
  VideoVisibility visibility = VideoVisibility::public_;
  bool allow_download = false;
  std::int64_t view_count = 0;
  std::int64_t like_count = 0;
  std::int64_t dislike_count = 0;
  std::int64_t comment_count = 0;
  std::int64_t download_count = 0;
  std::string metadata = "{}";  // JSON object text: probe results and renditions
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> removed_at;  // removed by moderation (#19): only staff see it
};

struct JobRow {
  std::string id;
  std::string video_id;
  JobState status = JobState::queued;
  int attempts = 0;
  int max_attempts = 3;
  std::int64_t next_attempt_at = 0;
  std::optional<std::string> locked_by;
  std::optional<std::int64_t> locked_at;
  int progress = 0;
  std::string error;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> finished_at;
};

struct CommentRow {
  std::string id;
  std::string video_id;
  std::string user_id;
  std::string username;  // joined from users
  std::optional<std::string> parent_id;
  std::string content;
  bool is_edited = false;
  bool is_deleted = false;
  std::int64_t likes_count = 0;
  std::int64_t reply_count = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct WatchTimeRow {
  std::string id;
  std::string user_id;
  std::string video_id;
  std::optional<std::string> party_id;
  std::int64_t total_watch_time = 0;  // seconds
  double last_position = 0;
  double completion_percentage = 0;
  std::string average_quality;
  std::int64_t buffering_events = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// ---- mobile home (#21): a video to resume, at the position of the user's latest viewing of it.
struct ResumeRow {
  std::string video_id, title, thumbnail, uploader_id, uploader_username;
  std::optional<double> duration;
  double position = 0;
  std::int64_t watched_at = 0;
};
// ---- end mobile home

struct UploadRow {
  std::string id;
  std::string user_id;
  std::int64_t upload_length = 0;
  std::int64_t upload_offset = 0;
  std::string metadata = "{}";  // JSON object of the decoded Upload-Metadata
  std::optional<std::string> video_id;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct VideoFilter {
  std::optional<std::string> category;
  std::optional<std::string> tag;  // normalized
  std::optional<std::string> uploader;  // user id
  std::optional<VideoStatus> status;
  std::optional<bool> is_public;
  std::optional<std::string> search;
  VideoOrder ordering = VideoOrder::newest;
  // Visibility: staff see everything; others see public ready videos and their own.
  std::optional<std::string> viewer_id;
  bool viewer_is_staff = false;
};

struct LikeCounts {
  std::optional<bool> is_like;  // the caller's reaction after the change
  std::int64_t like_count = 0;
  std::int64_t dislike_count = 0;
};

// The caller's own reactions on one video: the video's like or dislike, the comments liked.
struct MyReactions {
  std::optional<bool> is_like;
  std::vector<std::string> liked_comment_ids;
};

struct CommentLikeResult {
  bool liked = false;
  std::int64_t likes_count = 0;
};

struct WatchInput {
  double position = 0;
  std::int64_t duration_watched = 0;
  std::int64_t buffering_events = 0;
  std::string quality;
  std::optional<std::string> party_id;
};

// What the parties module needs to play a video.
struct VideoSummary {
  std::string id;
  std::string title;
  std::optional<double> duration;
  VideoStatus status = VideoStatus::processing;
  std::string hls_url;     // empty when there is no HLS (external MP4, not processed yet)
  std::string stream_url;  // the original (or the external URL)
};

// Fields of a new video, from multipart fields, JSON or tus metadata.
struct NewVideo {
  std::string title;
  std::string description;
  std::string category;
  std::string tags;  // normalized (tags.hpp)
  bool is_public = true;
  std::optional<VideoVisibility> visibility;  // wins over is_public when given
  bool allow_download = false;
  std::string original_filename;
  std::string external_url;
};

struct VideoPatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::optional<std::string> tags;  // normalized (tags.hpp)
  std::optional<bool> is_public;
  std::optional<VideoVisibility> visibility;  // wins over is_public when given
  std::optional<bool> allow_download;
};

}  // namespace wp::videos

WP_ENUM_NAMES(wp::videos::VideoVisibility, {wp::videos::VideoVisibility::public_, "public"},
              {wp::videos::VideoVisibility::private_, "private"}, {wp::videos::VideoVisibility::friends, "friends"});
WP_ENUM_NAMES(wp::videos::VideoStatus, {wp::videos::VideoStatus::processing, "processing"},
              {wp::videos::VideoStatus::ready, "ready"}, {wp::videos::VideoStatus::failed, "failed"});
WP_ENUM_NAMES(wp::videos::SourceType, {wp::videos::SourceType::upload, "upload"},
              {wp::videos::SourceType::external, "external"});
WP_ENUM_NAMES(wp::videos::JobState, {wp::videos::JobState::queued, "queued"},
              {wp::videos::JobState::running, "running"}, {wp::videos::JobState::succeeded, "succeeded"},
              {wp::videos::JobState::failed, "failed"}, {wp::videos::JobState::cancelled, "cancelled"});
WP_ENUM_NAMES(wp::videos::VideoOrder, {wp::videos::VideoOrder::newest, "-created_at"},
              {wp::videos::VideoOrder::oldest, "created_at"}, {wp::videos::VideoOrder::most_viewed, "-view_count"},
              {wp::videos::VideoOrder::least_viewed, "view_count"},
              {wp::videos::VideoOrder::most_liked, "-like_count"},
              {wp::videos::VideoOrder::least_liked, "like_count"}, {wp::videos::VideoOrder::title, "title"},
              {wp::videos::VideoOrder::title_desc, "-title"});
