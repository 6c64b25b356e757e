#pragma once
// Rules of the videos area: who may see, change and delete what; upload
// checks; the processing pipeline run by workers; counters through store.
#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/domain_events.hpp"
#include "core/mentions.hpp"
#include "core/moderation.hpp"
#include "core/notifier.hpp"
#include "core/plans.hpp"
#include "core/principal.hpp"
#include "core/relations.hpp"
#include "modules/videos/media.hpp"
#include "modules/videos/model.hpp"
#include "modules/videos/store.hpp"

namespace wp::videos {

using Viewer = const Principal*;  // nullptr: anonymous

struct ClientInfo {
  std::string ip;
  std::string user_agent;
};

// A file the transport should send.
struct ServedFile {
  std::string path;  // absolute or relative to the working directory
  std::string content_type;
};

struct ProcessingStatus {
  VideoRow video;
  std::optional<JobRow> job;
};

struct TusState {
  UploadRow upload;
};

class VideosService {
 public:
  VideosService(Store& store, const Config& config);

  // Parties decide who else may watch a private video (members of a party playing it).
  void set_viewer_check(std::function<bool(const std::string& user_id, const std::string& video_id)> check);
  // The social graph: `friends` videos open to the uploader's friends. Without it, they are as private.
  void set_relations(Relations& relations) { relations_ = &relations; }
  // Billing (#18): the uploader's plan caps one upload and their storage; the viewer's allows downloads.
  void set_plans(Plans& plans) { plans_ = &plans; }
  // Notifications (#15): likes on a video (grouped per video), replies to a comment,
  // @mentions in comments (notices.cpp). Unset, nobody is notified.
  void set_notifier(Notifier& notifier, UserIdsByName ids_by_name) {
    notifier_ = &notifier;
    ids_by_name_ = std::move(ids_by_name);
  }
  // ---- moderation (#19), in moderation.cpp: comments and titles are screened
  // and flagged; videos and comments appear in the queue and can be hidden.
  void set_content_guard(ContentGuard& guard) { guard_ = &guard; }
  void set_events(const DomainEvents& events) { events_ = &events; }
  std::optional<ContentView> video_view(const std::string& id);
  std::optional<ContentView> comment_view(const std::string& id);
  std::optional<std::string> hide_video(const std::string& id);
  bool restore_video(const std::string& id);
  std::optional<std::string> hide_comment(const std::string& id);
  bool restore_comment(const std::string& id, const std::string& content);
  // ---- end moderation
  // Parties decide whether a user belongs to a party (watch progress names one).
  void set_party_member_check(std::function<bool(const std::string& user_id, const std::string& party_id)> check);

  // Library
  std::vector<VideoRow> list(Viewer viewer, VideoFilter filter, int limit, int offset, long long& count);
  VideoRow get(Viewer viewer, const std::string& id);
  VideoRow update(const Principal& user, const std::string& id, const VideoPatch& patch);
  void remove(const Principal& user, const std::string& id);
  bool can_manage(Viewer viewer, const VideoRow& v) const;

  // Creating. staged_path is a file under data_dir/tmp that the service moves
  // into place when the content is accepted (and leaves alone otherwise).
  VideoRow create_uploaded(const Principal& user, NewVideo in, const std::string& staged_path);
  VideoRow create_external(const Principal& user, NewVideo in);
  std::string staging_path() const;  // a fresh file name under data_dir/tmp
  std::int64_t max_upload_bytes() const { return config_.max_upload_bytes; }

  // Files
  ServedFile original(Viewer viewer, const VideoRow& v) const;
  ServedFile hls_file(Viewer viewer, const std::string& id, const std::string& name);
  ServedFile thumbnail(Viewer viewer, const std::string& id);
  // Checks the download rule and records the download.
  ServedFile download(Viewer viewer, const VideoRow& v, const ClientInfo& client);
  std::string download_filename(const VideoRow& v) const;

  // Engagement
  LikeCounts react(const Principal& user, const std::string& id, bool is_like);
  // What the page of a video shows as "pressed" for this user.
  MyReactions my_reactions(const Principal& user, const std::string& id);
  // (counted, view_count)
  std::pair<bool, std::int64_t> count_view(Viewer viewer, const VideoRow& v, const ClientInfo& client);
  WatchTimeRow record_watch_time(const std::string& user_id, const std::string& video_id, const WatchInput& in);
  WatchTimeRow progress(const Principal& user, const std::string& id, const WatchInput& in);
  // My watch history: one row per video and viewing context (a party, or none).
  std::vector<WatchTimeRow> my_watch_time(const Principal& user, int limit, int offset, long long& count);
  // ---- mobile (#21): the app's offline progress and its watch history, outside parties.
  // Moves the position forward only (the furthest wins); true when it moved.
  bool advance_position(const Principal& user, const std::string& id, double position);
  std::optional<WatchTimeRow> watch_time_outside_parties(const std::string& user_id, const std::string& video_id);
  std::vector<WatchTimeRow> watch_times_outside_parties(const std::string& user_id);
  // ---- end mobile
  // Each viewer's furthest point in the video, percent (for analytics' retention curve).
  std::vector<double> completions(const std::string& video_id) { return store_.completions(video_id); }
  // ---- mobile home (#21)
  // The videos the user stopped watching before 95 % (their latest viewing of each), which they may
  // still see and whose uploader is not blocked with them either way; newest first.
  std::vector<ResumeRow> continue_watching(const Principal& user, int limit) { return store_.resumable(user.id, limit); }
  // The most viewed public videos uploaded in the last `days` days, none of a user blocked with the viewer.
  std::vector<VideoRow> popular_recent(const Principal& user, int days, int limit) {
    return store_.popular_since(user.id, now_ms() - std::int64_t{days} * 86'400'000, limit);
  }
  // ---- end mobile home

  // Comments
  std::vector<CommentRow> comments(Viewer viewer, const std::string& video_id, int limit, int offset, long long& count);
  std::vector<CommentRow> replies(Viewer viewer, const std::string& video_id, const std::string& comment_id, int limit,
                                  int offset, long long& count);
  CommentRow add_comment(const Principal& user, const std::string& video_id, const std::string& content,
                         const std::optional<std::string>& parent_id);
  CommentRow edit_comment(const Principal& user, const std::string& video_id, const std::string& comment_id,
                          const std::string& content);
  void delete_comment(const Principal& user, const std::string& video_id, const std::string& comment_id);
  CommentLikeResult like_comment(const Principal& user, const std::string& video_id,
                                 const std::string& comment_id);

  ProcessingStatus processing_status(Viewer viewer, const std::string& id);

  // For the parties module: the video when `user` may play it in a party.
  std::optional<VideoSummary> video_for_party(const std::string& video_id, const Principal& user);

  // tus 1.0 resumable uploads
  UploadRow tus_create(const Principal& user, std::int64_t length, const std::map<std::string, std::string>& meta);
  UploadRow tus_state(const Principal& user, const std::string& id);
  // Appends chunk_path at offset; when the upload completes it becomes a video.
  UploadRow tus_append(const Principal& user, const std::string& id, std::int64_t offset,
                       const std::string& chunk_path);

  // Processing (workers)
  std::optional<JobRow> claim_job(const std::string& worker_id);
  // Runs one claimed job to its end: succeeded, queued for a retry, failed,
  // or released when `stopping` turns true (shutdown).
  void run_job(const JobRow& job, const std::string& worker_id, const std::function<bool()>& stopping);
  int worker_poll_ms() const { return config_.worker_poll_ms; }
  // Deletes unfinished tus uploads (rows and part files) idle for upload_expiry_s; returns how many.
  int expire_uploads();
  int upload_expiry_s() const { return config_.upload_expiry_s; }

 private:
  bool visible(Viewer viewer, const VideoRow& v) const;
  VideoRow visible_video(Viewer viewer, const std::string& id);
  CommentRow comment_of(const std::string& video_id, const std::string& comment_id);
  std::string abs(const std::string& relative) const;
  std::string video_dir(const std::string& id) const;
  std::mutex& upload_lock(const std::string& id);

  Store& store_;
  const Config& config_;
  MediaTools tools_;
  std::function<bool(const std::string&, const std::string&)> viewer_check_;
  std::function<bool(const std::string&, const std::string&)> party_member_check_;
  Relations* relations_ = nullptr;
  Plans* plans_ = nullptr;
  // 403 PLAN_LIMIT when `bytes` more is beyond the user's plan (one upload, or the quota).
  void check_plan_upload(const Principal& user, std::int64_t bytes);
  Notifier* notifier_ = nullptr;
  const DomainEvents* events_ = nullptr;
  ContentGuard* guard_ = nullptr;
  void screen(const std::string& user_id, ContentType type, const std::string& text, const std::string& field);
  void posted(const std::string& user_id, ContentType type, const std::string& id, const std::string& text);
  UserIdsByName ids_by_name_;
  void notify_like(const Principal& user, const VideoRow& v);
  void notify_comment(const Principal& user, const VideoRow& v, const CommentRow& c);
  std::array<std::mutex, 32> upload_locks_;
};

}  // namespace wp::videos
