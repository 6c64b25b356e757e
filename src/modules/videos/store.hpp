#pragma once
// Every SQL statement of the videos area. Changes that touch more than one
// row (a like and its counter, a job and its video) are one method and one
// transaction.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "modules/videos/model.hpp"

namespace wp::videos {

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // Videos
  void create_video(const VideoRow& v, const std::optional<JobRow>& job);
  std::optional<VideoRow> video(const std::string& id);
  // The bytes of every file the user uploaded (billing's storage quota).
  std::int64_t bytes_of(const std::string& user_id);
  std::vector<VideoRow> list_videos(const VideoFilter& f, int limit, int offset, long long& count);
  void update_video(const VideoRow& v);
  // Cancels the video's open jobs and deletes the video (and, by cascade, its rows).
  bool delete_video(const std::string& id, std::int64_t now);

  // Jobs
  // One due job (queued and due, or running with an expired lease and
  // attempts left), marked running for worker_id; nullopt when there is none.
  // Expired jobs without attempts left fail (the video too) on the way.
  std::optional<JobRow> claim_job(const std::string& worker_id, std::int64_t now, std::int64_t lease_ms);
  // Renews the lease and stores progress; false when the job is no longer ours (cancelled or taken over).
  bool heartbeat(const std::string& job_id, const std::string& worker_id, int progress, std::int64_t now);
  // Job succeeded and video ready with its metadata, together; false when the job is no longer ours.
  bool finish_job(const std::string& job_id, const std::string& worker_id, const VideoRow& video, std::int64_t now);
  // Failed attempt: queued again at retry_at, or failed for good (the video too) when retry_at is empty.
  void fail_job(const std::string& job_id, const std::string& worker_id, const std::string& video_id,
                const std::string& error, std::optional<std::int64_t> retry_at, std::int64_t now);
  // Back to the queue without spending an attempt (shutdown).
  void release_job(const std::string& job_id, const std::string& worker_id, std::int64_t now);
  std::optional<JobRow> latest_job(const std::string& video_id);

  // Likes
  LikeCounts react(const std::string& video_id, const std::string& user_id, bool is_like, const std::string& like_id,
                   std::int64_t now);

  // Comments
  void add_comment(const CommentRow& c);
  std::optional<CommentRow> comment(const std::string& id);
  // Top level when parent_id is empty.
  std::vector<CommentRow> comments(const std::string& video_id, const std::optional<std::string>& parent_id,
                                   bool newest_first, int limit, int offset, long long& count);
  void edit_comment(const std::string& id, const std::string& content, std::int64_t now);
  // A comment with replies becomes a placeholder; a leaf is removed, and
  // with it any placeholder ancestors left without replies.
  void delete_comment(const std::string& id, std::int64_t now);
  // moderation (#19): hide and restore a comment's text, a video; false when nothing changed.
  bool hide_comment(const std::string& id);
  bool restore_comment(const std::string& id, const std::string& content);
  bool hide_video(const std::string& id, std::int64_t now);
  bool restore_video(const std::string& id);
  CommentLikeResult toggle_comment_like(const std::string& comment_id, const std::string& user_id,
                                        const std::string& like_id, std::int64_t now);
  MyReactions reactions_of(const std::string& video_id, const std::string& user_id);

  // Views, watch time, downloads
  // Counts a view unless viewer_key was counted within window_ms. Returns (counted, view_count).
  std::pair<bool, std::int64_t> count_view(const std::string& video_id, const std::string& viewer_key,
                                           const std::optional<std::string>& user_id, const std::string& ip,
                                           const std::string& view_id, std::int64_t now, std::int64_t window_ms);
  WatchTimeRow record_watch(const WatchTimeRow& delta, std::optional<double> video_duration);
  // A user's viewings (one row per video and context), newest first; count: all of them.
  std::vector<WatchTimeRow> watch_times_of(const std::string& user_id, int limit, int offset, long long& count);
  std::vector<double> completions(const std::string& video_id);
  // mobile home (#21): what the user may resume; the most viewed recent videos (sql.hpp says which).
  std::vector<ResumeRow> resumable(const std::string& user_id, int limit);
  std::vector<VideoRow> popular_since(const std::string& viewer_id, std::int64_t since, int limit);
  // ---- mobile (#21): the viewing outside parties; its position only moves forward. True when it moved.
  bool advance_watch(const WatchTimeRow& d, std::optional<double> video_duration);
  std::optional<WatchTimeRow> solo_watch_time(const std::string& user_id, const std::string& video_id);
  std::vector<WatchTimeRow> solo_watch_times(const std::string& user_id);
  // ---- end mobile
  void record_download(const std::string& id, const std::string& video_id, const std::optional<std::string>& user_id,
                       const std::string& ip, const std::string& user_agent, std::int64_t now);

  // tus uploads
  void create_upload(const UploadRow& u);
  std::optional<UploadRow> upload(const std::string& id);
  // Moves the offset from `from` to `to`; false when it was not at `from`.
  bool advance_upload(const std::string& id, std::int64_t from, std::int64_t to, std::int64_t now);
  void set_upload_video(const std::string& id, const std::string& video_id, std::int64_t now);
  // Unfinished uploads last touched before `before`.
  std::vector<std::string> stale_uploads(std::int64_t before, int limit);
  // Deletes the upload row unless it was touched since `before` (a late PATCH wins).
  bool delete_stale_upload(const std::string& id, std::int64_t before);

 private:
  db::Database& db_;
};

}  // namespace wp::videos
