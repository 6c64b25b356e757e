#pragma once
// Every SQL text of the videos store, and the column table of each row it
// reads. Only store.cpp includes this. A row query (kVideoById, ...) is the
// text after the SELECT list: db::select_rows puts the list first.
#include "db/columns.hpp"
#include "modules/videos/model.hpp"

namespace wp::videos::sql {

// ---------------------------------------------------------------- row tables

inline const db::Columns<VideoRow> kVideo{
    {"v.id", &VideoRow::id},
    {"v.uploaded_by_id", &VideoRow::uploaded_by_id},
    {"u.username", &VideoRow::uploader_username},
    {"v.title", &VideoRow::title},
    {"v.description", &VideoRow::description},
    {"v.category", &VideoRow::category},
    {"v.tags", &VideoRow::tags},
    {"v.source_type", &VideoRow::source_type},
    {"v.external_url", &VideoRow::external_url},
    {"v.file_path", &VideoRow::file_path},
    {"v.original_filename", &VideoRow::original_filename},
    {"v.mime_type", &VideoRow::mime_type},
    {"v.file_size", &VideoRow::file_size},
    {"v.thumbnail", &VideoRow::thumbnail},
    {"v.duration", &VideoRow::duration},
    {"v.width", &VideoRow::width},
    {"v.height", &VideoRow::height},
    {"v.status", &VideoRow::status},
    {"v.processing_error", &VideoRow::processing_error},
    {"v.is_public", &VideoRow::is_public},
    {"v.visibility", &VideoRow::visibility},
    {"v.allow_download", &VideoRow::allow_download},
    {"v.view_count", &VideoRow::view_count},
    {"v.like_count", &VideoRow::like_count},
    {"v.dislike_count", &VideoRow::dislike_count},
    {"v.comment_count", &VideoRow::comment_count},
    {"v.download_count", &VideoRow::download_count},
    {"v.metadata", &VideoRow::metadata},
    {"v.created_at", &VideoRow::created_at},
    {"v.updated_at", &VideoRow::updated_at},
    {"v.removed_at", &VideoRow::removed_at},
};

inline const db::Columns<JobRow> kJob{
    {"id", &JobRow::id},
    {"video_id", &JobRow::video_id},
    {"status", &JobRow::status},
    {"attempts", &JobRow::attempts},
    {"max_attempts", &JobRow::max_attempts},
    {"next_attempt_at", &JobRow::next_attempt_at},
    {"locked_by", &JobRow::locked_by},
    {"locked_at", &JobRow::locked_at},
    {"progress", &JobRow::progress},
    {"error", &JobRow::error},
    {"created_at", &JobRow::created_at},
    {"updated_at", &JobRow::updated_at},
    {"finished_at", &JobRow::finished_at},
};

inline const db::Columns<CommentRow> kComment{
    {"c.id", &CommentRow::id},
    {"c.video_id", &CommentRow::video_id},
    {"c.user_id", &CommentRow::user_id},
    {"u.username", &CommentRow::username},
    {"c.parent_id", &CommentRow::parent_id},
    {"c.content", &CommentRow::content},
    {"c.is_edited", &CommentRow::is_edited},
    {"c.is_deleted", &CommentRow::is_deleted},
    {"c.likes_count", &CommentRow::likes_count},
    {"c.reply_count", &CommentRow::reply_count},
    {"c.created_at", &CommentRow::created_at},
    {"c.updated_at", &CommentRow::updated_at},
};

inline const db::Columns<WatchTimeRow> kWatchTime{
    {"id", &WatchTimeRow::id},
    {"user_id", &WatchTimeRow::user_id},
    {"video_id", &WatchTimeRow::video_id},
    {"party_id", &WatchTimeRow::party_id},
    {"total_watch_time", &WatchTimeRow::total_watch_time},
    {"last_position", &WatchTimeRow::last_position},
    {"completion_percentage", &WatchTimeRow::completion_percentage},
    {"average_quality", &WatchTimeRow::average_quality},
    {"buffering_events", &WatchTimeRow::buffering_events},
    {"created_at", &WatchTimeRow::created_at},
    {"updated_at", &WatchTimeRow::updated_at},
};

// ---- mobile home (#21)
inline const db::Columns<ResumeRow> kResume{
    {"v.id", &ResumeRow::video_id},
    {"v.title", &ResumeRow::title},
    {"v.thumbnail", &ResumeRow::thumbnail},
    {"v.uploaded_by_id", &ResumeRow::uploader_id},
    {"u.username", &ResumeRow::uploader_username},
    {"v.duration", &ResumeRow::duration},
    {"w.last_position", &ResumeRow::position},
    {"w.updated_at", &ResumeRow::watched_at},
};
// ---- end mobile home

inline const db::Columns<UploadRow> kUpload{
    {"id", &UploadRow::id},
    {"user_id", &UploadRow::user_id},
    {"upload_length", &UploadRow::upload_length},
    {"upload_offset", &UploadRow::upload_offset},
    {"metadata", &UploadRow::metadata},
    {"video_id", &UploadRow::video_id},
    {"created_at", &UploadRow::created_at},
    {"updated_at", &UploadRow::updated_at},
};

inline const db::Columns<LikeCounts> kLikeCounts{
    {"like_count", &LikeCounts::like_count},
    {"dislike_count", &LikeCounts::dislike_count},
};

// ---------------------------------------------------------------- videos

inline constexpr const char* kVideoFrom = "FROM videos v JOIN users u ON u.id = v.uploaded_by_id";
inline constexpr const char* kVideoById = "FROM videos v JOIN users u ON u.id = v.uploaded_by_id WHERE v.id = :id";
inline constexpr const char* kCountVideos = "SELECT COUNT(*) FROM videos v JOIN users u ON u.id = v.uploaded_by_id";
inline constexpr const char* kInsertVideo =
    "INSERT INTO videos (id, uploaded_by_id, title, description, category, tags, source_type, external_url, file_path, "
    "original_filename, mime_type, file_size, thumbnail, duration, width, height, status, processing_error, "
    "is_public, visibility, allow_download, metadata, created_at, updated_at) VALUES (:id, :ub, :t, :d, :c, :tg, :st, :eu, "
    ":fp, :of, :mt, :fs, :th, :du, :w, :h, :s, :pe, :p, :vis, :dl, :m, :ca, :ua)";
inline constexpr const char* kUpdateVideo =
    "UPDATE videos SET title = :t, description = :d, category = :c, tags = :tg, is_public = :p, visibility = :vis, allow_download = :dl, "
    "updated_at = :u WHERE id = :id";
inline constexpr const char* kCancelJobsOfVideo =
    "UPDATE video_processing_jobs SET status = 'cancelled', error = 'video deleted', locked_by = NULL, "
    "updated_at = :t, finished_at = :t2 WHERE video_id = :v AND status IN ('queued', 'running')";
inline constexpr const char* kDeleteVideo = "DELETE FROM videos WHERE id = :id";
// billing (#18): what a user's uploads take, against their plan's storage quota.
inline constexpr const char* kBytesOfUploader =
    "SELECT CAST(COALESCE(SUM(file_size), 0) AS BIGINT) FROM videos WHERE uploaded_by_id = :u";
// The video list: kVideoFrom (kCountVideos) + kAnyVideo + the filters that
// apply, then ORDER BY order_by() + kVideoPage.
inline constexpr const char* kAnyVideo = " WHERE 1=1";
inline constexpr const char* kListableToAnyone = " AND v.is_public = TRUE AND v.status = 'ready'";
// Also ready `friends` videos of an uploader the viewer is friends with (the social graph's friendships).
inline constexpr const char* kListableOrOwn =
    " AND ((v.is_public = TRUE AND v.status = 'ready') OR v.uploaded_by_id = :viewer OR (v.visibility = 'friends' AND "
    "v.status = 'ready' AND EXISTS (SELECT 1 FROM friendships fr WHERE fr.status = 'accepted' AND ((fr.user_low = "
    "v.uploaded_by_id AND fr.user_high = :viewer2) OR (fr.user_high = v.uploaded_by_id AND fr.user_low = "
    ":viewer3)))))";
inline constexpr const char* kNotRemoved = " AND v.removed_at IS NULL";  // moderation (#19)
inline constexpr const char* kWithCategory = " AND v.category = :category";
// Tags hold no space: " tag " inside the spaced list is an exact tag (the pattern is "% tag %").
inline constexpr const char* kWithTag = " AND (' ' || v.tags || ' ') LIKE :tag";
inline constexpr const char* kWithUploader = " AND v.uploaded_by_id = :uploader";
inline constexpr const char* kWithStatus = " AND v.status = :status";
inline constexpr const char* kOnlyPublic = " AND v.is_public = TRUE";
inline constexpr const char* kOnlyPrivate = " AND v.is_public = FALSE";
inline constexpr const char* kWithSearch =
    " AND (LOWER(v.title) LIKE :search1 ESCAPE '\\' OR LOWER(v.description) LIKE :search2 ESCAPE '\\')";
inline constexpr const char* kVideoPage = ", v.id LIMIT :lim OFFSET :off";

// The ORDER BY of the video list.
constexpr const char* order_by(VideoOrder o) {
  switch (o) {
    case VideoOrder::oldest: return "v.created_at ASC";
    case VideoOrder::most_viewed: return "v.view_count DESC, v.created_at DESC";
    case VideoOrder::least_viewed: return "v.view_count ASC, v.created_at DESC";
    case VideoOrder::most_liked: return "v.like_count DESC, v.created_at DESC";
    case VideoOrder::least_liked: return "v.like_count ASC, v.created_at DESC";
    case VideoOrder::title: return "v.title ASC";
    case VideoOrder::title_desc: return "v.title DESC";
    case VideoOrder::newest: break;
  }
  return "v.created_at DESC";
}

// ---------------------------------------------------------------- jobs

inline constexpr const char* kInsertJob =
    "INSERT INTO video_processing_jobs (id, video_id, status, attempts, max_attempts, next_attempt_at, progress, "
    "error, created_at, updated_at) VALUES (:id, :v, :st, 0, :ma, :na, 0, '', :c, :u)";
inline constexpr const char* kJobById = "FROM video_processing_jobs WHERE id = :id";
inline constexpr const char* kLatestJobOf =
    "FROM video_processing_jobs WHERE video_id = :v ORDER BY created_at DESC, id LIMIT 1";
// A job whose last allowed attempt lost its lease (the worker died) fails for
// good instead of being taken over once more: these two fail it and its video.
inline constexpr const char* kFailSpentVideos =
    "UPDATE videos SET status = 'failed', processing_error = :e, updated_at = :t WHERE id IN (SELECT video_id FROM "
    "video_processing_jobs WHERE status = 'running' AND locked_at < :stale AND attempts >= max_attempts)";
inline constexpr const char* kFailSpentJobs =
    "UPDATE video_processing_jobs SET status = 'failed', locked_by = NULL, error = :e, updated_at = :t, "
    "finished_at = :t2 WHERE status = 'running' AND locked_at < :stale AND attempts >= max_attempts";
// SQLite: tx() holds the write lock (BEGIN IMMEDIATE), so select-then-update is atomic.
// PostgreSQL: the row lock with SKIP LOCKED (kSkipLocked) lets concurrent workers pick different jobs.
inline constexpr const char* kDueJob =
    "SELECT id FROM video_processing_jobs WHERE (status = 'queued' AND next_attempt_at <= :t) OR (status = 'running' "
    "AND locked_at < :stale AND attempts < max_attempts) ORDER BY created_at, id LIMIT 1";
inline constexpr const char* kSkipLocked = " FOR UPDATE SKIP LOCKED";
inline constexpr const char* kStartJob =
    "UPDATE video_processing_jobs SET status = 'running', attempts = attempts + 1, locked_by = :w, locked_at = :t, "
    "progress = 0, updated_at = :t2 WHERE id = :id";
inline constexpr const char* kHeartbeat =
    "UPDATE video_processing_jobs SET locked_at = :t, progress = :p, updated_at = :t2 WHERE id = :id AND "
    "locked_by = :w AND status = 'running'";
inline constexpr const char* kSucceedJob =
    "UPDATE video_processing_jobs SET status = 'succeeded', progress = 100, error = '', locked_by = NULL, "
    "updated_at = :t, finished_at = :t2 WHERE id = :id AND locked_by = :w AND status = 'running'";
inline constexpr const char* kVideoReady =
    "UPDATE videos SET status = 'ready', processing_error = '', duration = :d, width = :w, height = :h, "
    "file_size = :fs, thumbnail = :th, metadata = :m, updated_at = :t WHERE id = :id";
inline constexpr const char* kRetryJob =
    "UPDATE video_processing_jobs SET status = 'queued', next_attempt_at = :n, locked_by = NULL, locked_at = NULL, "
    "error = :e, updated_at = :t WHERE id = :id AND locked_by = :w AND status = 'running'";
inline constexpr const char* kFailJob =
    "UPDATE video_processing_jobs SET status = 'failed', locked_by = NULL, error = :e, updated_at = :t, "
    "finished_at = :t2 WHERE id = :id AND locked_by = :w AND status = 'running'";
inline constexpr const char* kVideoFailed =
    "UPDATE videos SET status = 'failed', processing_error = :e, updated_at = :t WHERE id = :id";
inline constexpr const char* kReleaseJob =
    "UPDATE video_processing_jobs SET status = 'queued', attempts = attempts - 1, progress = 0, locked_by = NULL, "
    "locked_at = NULL, next_attempt_at = :n, updated_at = :t WHERE id = :id AND locked_by = :w AND "
    "status = 'running'";

// ---------------------------------------------------------------- likes

inline constexpr const char* kReactionOf = "SELECT is_like FROM video_likes WHERE video_id = :v AND user_id = :u";
inline constexpr const char* kInsertReaction =
    "INSERT INTO video_likes (id, video_id, user_id, is_like, created_at) VALUES (:id, :v, :u, :l, :t)";
inline constexpr const char* kDeleteReaction = "DELETE FROM video_likes WHERE video_id = :v AND user_id = :u";
inline constexpr const char* kChangeReaction =
    "UPDATE video_likes SET is_like = :l WHERE video_id = :v AND user_id = :u";
inline constexpr const char* kAddLike = "UPDATE videos SET like_count = like_count + 1 WHERE id = :id";
inline constexpr const char* kAddDislike = "UPDATE videos SET dislike_count = dislike_count + 1 WHERE id = :id";
inline constexpr const char* kRemoveLike = "UPDATE videos SET like_count = like_count - 1 WHERE id = :id";
inline constexpr const char* kRemoveDislike = "UPDATE videos SET dislike_count = dislike_count - 1 WHERE id = :id";
inline constexpr const char* kDislikeToLike =
    "UPDATE videos SET like_count = like_count + 1, dislike_count = dislike_count - 1 WHERE id = :id";
inline constexpr const char* kLikeToDislike =
    "UPDATE videos SET dislike_count = dislike_count + 1, like_count = like_count - 1 WHERE id = :id";
inline constexpr const char* kLikeCountsOf = "FROM videos WHERE id = :id";

// ---------------------------------------------------------------- comments

inline constexpr const char* kCommentFrom = "FROM video_comments c JOIN users u ON u.id = c.user_id";
inline constexpr const char* kCommentById = "FROM video_comments c JOIN users u ON u.id = c.user_id WHERE c.id = :id";
inline constexpr const char* kCountCommentsFrom = "SELECT COUNT(*) FROM video_comments c";
// A comment page: kCommentFrom (kCountCommentsFrom) + which comments + which order.
inline constexpr const char* kTopLevelOf = " WHERE c.video_id = :video AND c.parent_id IS NULL";
inline constexpr const char* kRepliesTo = " WHERE c.video_id = :video AND c.parent_id = :parent";
inline constexpr const char* kNewestFirst = " ORDER BY c.created_at DESC, c.id LIMIT :lim OFFSET :off";
inline constexpr const char* kOldestFirst = " ORDER BY c.created_at ASC, c.id LIMIT :lim OFFSET :off";
inline constexpr const char* kInsertComment =
    "INSERT INTO video_comments (id, video_id, user_id, parent_id, content, created_at, updated_at) VALUES (:id, :v, "
    ":u, :p, :c, :t, :t2)";
inline constexpr const char* kAddReply = "UPDATE video_comments SET reply_count = reply_count + 1 WHERE id = :id";
inline constexpr const char* kRemoveReply = "UPDATE video_comments SET reply_count = reply_count - 1 WHERE id = :id";
inline constexpr const char* kAddComment = "UPDATE videos SET comment_count = comment_count + 1 WHERE id = :id";
inline constexpr const char* kRemoveComment = "UPDATE videos SET comment_count = comment_count - 1 WHERE id = :id";
inline constexpr const char* kEditComment =
    "UPDATE video_comments SET content = :c, is_edited = TRUE, updated_at = :t WHERE id = :id";
inline constexpr const char* kBlankComment =
    "UPDATE video_comments SET is_deleted = TRUE, content = '', updated_at = :t WHERE id = :id";
inline constexpr const char* kDeleteComment = "DELETE FROM video_comments WHERE id = :id";
// moderation (#19): a removed comment reads as deleted; its text waits in the tombstone.
inline constexpr const char* kHideComment =
    "UPDATE video_comments SET is_deleted = TRUE, content = '' WHERE id = :id AND is_deleted = FALSE";
inline constexpr const char* kRestoreComment =
    "UPDATE video_comments SET is_deleted = FALSE, content = :c WHERE id = :id AND is_deleted = TRUE";
inline constexpr const char* kHideVideo = "UPDATE videos SET removed_at = :t WHERE id = :id AND removed_at IS NULL";
inline constexpr const char* kRestoreVideo =
    "UPDATE videos SET removed_at = NULL WHERE id = :id AND removed_at IS NOT NULL";
inline constexpr const char* kDeleteCommentLike = "DELETE FROM comment_likes WHERE comment_id = :c AND user_id = :u";
inline constexpr const char* kInsertCommentLike =
    "INSERT INTO comment_likes (id, comment_id, user_id, created_at) VALUES (:id, :c, :u, :t)";
inline constexpr const char* kAddCommentLike = "UPDATE video_comments SET likes_count = likes_count + 1 WHERE id = :id";
inline constexpr const char* kRemoveCommentLike =
    "UPDATE video_comments SET likes_count = likes_count - 1 WHERE id = :id";
inline constexpr const char* kCommentLikes = "SELECT likes_count FROM video_comments WHERE id = :id";
inline constexpr const char* kCommentsLikedBy =
    "SELECT cl.comment_id FROM comment_likes cl JOIN video_comments c ON c.id = cl.comment_id "
    "WHERE c.video_id = :v AND cl.user_id = :u ORDER BY cl.created_at";

// ---------------------------------------------------------------- views, watch time, downloads

// Either statement changes a row only for the one request that wins; a
// concurrent duplicate finds the row already renewed or already there.
inline constexpr const char* kRenewViewer =
    "UPDATE video_viewers SET last_counted_at = :t WHERE video_id = :v AND viewer_key = :k AND last_counted_at <= :b";
inline constexpr const char* kInsertViewer =
    "INSERT INTO video_viewers (video_id, viewer_key, last_counted_at) VALUES (:v, :k, :t) ON CONFLICT (video_id, "
    "viewer_key) DO NOTHING";
inline constexpr const char* kInsertView =
    "INSERT INTO video_views (id, video_id, user_id, viewer_key, ip_address, created_at) VALUES (:id, :v, :u, :k, "
    ":ip, :t)";
inline constexpr const char* kAddView = "UPDATE videos SET view_count = view_count + 1 WHERE id = :id";
inline constexpr const char* kViewCount = "SELECT view_count FROM videos WHERE id = :id";
// One row per viewing context (party_key: the party, or '' outside one), so a
// viewing in a party and one outside are both kept.
inline constexpr const char* kAddWatchTime =
    "INSERT INTO watch_times (id, user_id, video_id, party_id, party_key, total_watch_time, last_position, "
    "completion_percentage, average_quality, buffering_events, created_at, updated_at) VALUES (:id, :u, :v, :p, :pk, "
    ":tw, :lp, :cp, :q, :b, :t, :t2) ON CONFLICT (user_id, video_id, party_key) DO UPDATE SET "
    "total_watch_time = watch_times.total_watch_time + excluded.total_watch_time, "
    "last_position = excluded.last_position, "
    "completion_percentage = CASE WHEN excluded.completion_percentage > watch_times.completion_percentage "
    "THEN excluded.completion_percentage ELSE watch_times.completion_percentage END, "
    "average_quality = CASE WHEN excluded.average_quality = '' THEN watch_times.average_quality "
    "ELSE excluded.average_quality END, "
    "buffering_events = watch_times.buffering_events + excluded.buffering_events, updated_at = excluded.updated_at";
inline constexpr const char* kWatchTimeOf =
    "FROM watch_times WHERE user_id = :u AND video_id = :v AND party_key = :pk";
// A user's watch history, newest viewing first.
inline constexpr const char* kWatchTimesOfUser =
    "FROM watch_times WHERE user_id = :u ORDER BY updated_at DESC, id LIMIT :l OFFSET :o";
// Each viewer's furthest point in a video (percent), over all viewing contexts.
inline constexpr const char* kCompletionsOf =
    "SELECT MAX(completion_percentage) FROM watch_times WHERE video_id = :v GROUP BY user_id";
// ---- mobile home (#21)
// The user's latest viewing of each video (a later one in another context hides it), begun and stopped
// before 95 % of the video, of a video they may list (kListableOrOwn, restated) whose uploader is not
// blocked with them either way; newest first.
inline constexpr const char* kResumable =
    "FROM watch_times w JOIN videos v ON v.id = w.video_id JOIN users u ON u.id = v.uploaded_by_id WHERE "
    "w.user_id = :u AND w.last_position > 0 AND v.duration > 0 AND w.last_position < 0.95 * v.duration AND "
    "v.removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM watch_times w2 WHERE w2.user_id = w.user_id AND "
    "w2.video_id = w.video_id AND (w2.updated_at > w.updated_at OR (w2.updated_at = w.updated_at AND w2.id > w.id))) "
    "AND ((v.is_public = TRUE AND v.status = 'ready') OR v.uploaded_by_id = :u2 OR (v.visibility = 'friends' AND "
    "v.status = 'ready' AND EXISTS (SELECT 1 FROM friendships fr WHERE fr.status = 'accepted' AND ((fr.user_low = "
    "v.uploaded_by_id AND fr.user_high = :u3) OR (fr.user_high = v.uploaded_by_id AND fr.user_low = :u4))))) AND "
    "NOT EXISTS (SELECT 1 FROM user_blocks b WHERE (b.blocker_id = :u5 AND b.blocked_id = v.uploaded_by_id) OR "
    "(b.blocker_id = v.uploaded_by_id AND b.blocked_id = :u6)) ORDER BY w.updated_at DESC, w.id LIMIT :l";
// The most viewed videos anyone may see uploaded since :since, of uploaders not blocked with the viewer.
// The ORDER BY is idx_videos_popular's (migration 0030), read backwards: no sort, and it stops at :l.
inline constexpr const char* kPopularSince =
    "FROM videos v JOIN users u ON u.id = v.uploaded_by_id WHERE v.is_public = TRUE AND v.status = 'ready' AND "
    "v.removed_at IS NULL AND v.created_at >= :since AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE "
    "(b.blocker_id = :u1 AND b.blocked_id = v.uploaded_by_id) OR (b.blocker_id = v.uploaded_by_id AND b.blocked_id "
    "= :u2)) ORDER BY v.view_count DESC, v.created_at DESC, v.id DESC LIMIT :l";
// ---- end mobile home
// ---- mobile (#21): offline progress moves the viewing outside parties forward only.
inline constexpr const char* kAdvanceWatch =
    "INSERT INTO watch_times (id, user_id, video_id, party_id, party_key, total_watch_time, last_position, "
    "completion_percentage, average_quality, buffering_events, created_at, updated_at) VALUES (:id, :u, :v, NULL, '', "
    "0, :lp, :cp, '', 0, :t, :t2) ON CONFLICT (user_id, video_id, party_key) DO UPDATE SET "
    "last_position = excluded.last_position, "
    "completion_percentage = CASE WHEN excluded.completion_percentage > watch_times.completion_percentage "
    "THEN excluded.completion_percentage ELSE watch_times.completion_percentage END, "
    "updated_at = excluded.updated_at WHERE excluded.last_position > watch_times.last_position";
inline constexpr const char* kSoloWatchTimesOfUser = "FROM watch_times WHERE user_id = :u AND party_key = '' ORDER BY video_id";
// ---- end mobile
inline constexpr const char* kCountWatchTimesOfUser = "SELECT COUNT(*) FROM watch_times WHERE user_id = :u";
inline constexpr const char* kInsertDownload =
    "INSERT INTO video_downloads (id, video_id, user_id, ip_address, user_agent, created_at) VALUES (:id, :v, :u, "
    ":ip, :ua, :t)";
inline constexpr const char* kAddDownload = "UPDATE videos SET download_count = download_count + 1 WHERE id = :id";

// ---------------------------------------------------------------- tus uploads

inline constexpr const char* kInsertUpload =
    "INSERT INTO video_uploads (id, user_id, upload_length, upload_offset, metadata, created_at, updated_at) VALUES "
    "(:id, :u, :l, 0, :m, :t, :t2)";
inline constexpr const char* kUploadById = "FROM video_uploads WHERE id = :id";
inline constexpr const char* kAdvanceUpload =
    "UPDATE video_uploads SET upload_offset = :t, updated_at = :n WHERE id = :id AND upload_offset = :f";
inline constexpr const char* kSetUploadVideo = "UPDATE video_uploads SET video_id = :v, updated_at = :n WHERE id = :id";
inline constexpr const char* kStaleUploads =
    "SELECT id FROM video_uploads WHERE video_id IS NULL AND updated_at < :b ORDER BY updated_at LIMIT :l";
inline constexpr const char* kDeleteStaleUpload =
    "DELETE FROM video_uploads WHERE id = :id AND video_id IS NULL AND updated_at < :b";

}  // namespace wp::videos::sql
