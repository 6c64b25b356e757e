#include "modules/videos/store.hpp"

#include <soci/soci.h>

#include <algorithm>

#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/videos/sql.hpp"

namespace wp::videos {

using soci::into;
using soci::use;

namespace {

std::optional<VideoRow> one_video(soci::session& s, const std::string& id) {
  return db::select_one(s, sql::kVideo, sql::kVideoById, db::uses(id));
}

std::optional<CommentRow> one_comment(soci::session& s, const std::string& id) {
  return db::select_one(s, sql::kComment, sql::kCommentById, db::uses(id));
}

void insert_job(soci::session& s, const JobRow& j) {
  long long next = j.next_attempt_at, created = j.created_at;
  std::string status(to_string(j.status));
  s << sql::kInsertJob, use(j.id), use(j.video_id), use(status), use(j.max_attempts), use(next), use(created),
      use(created);
}

// The WHERE of the video list, its parameters added to p.
std::string list_where(const VideoFilter& f, db::NamedParams& p) {
  std::string where = sql::kAnyVideo;
  if (!f.viewer_is_staff) {
    where += sql::kNotRemoved;
    where += f.viewer_id ? sql::kListableOrOwn : sql::kListableToAnyone;
    if (f.viewer_id) {
      p.add("viewer", *f.viewer_id);
      p.add("viewer2", *f.viewer_id);
      p.add("viewer3", *f.viewer_id);
    }
  }
  if (f.category) {
    where += sql::kWithCategory;
    p.add("category", *f.category);
  }
  if (f.tag) {
    where += sql::kWithTag;
    p.add("tag", "% " + *f.tag + " %");
  }
  if (f.uploader) {
    where += sql::kWithUploader;
    p.add("uploader", *f.uploader);
  }
  if (f.status) {
    where += sql::kWithStatus;
    p.add("status", std::string(to_string(*f.status)));
  }
  if (f.is_public) where += *f.is_public ? sql::kOnlyPublic : sql::kOnlyPrivate;
  if (f.search && !f.search->empty()) {
    where += sql::kWithSearch;
    p.add("search1", db::like_pattern(*f.search));
    p.add("search2", db::like_pattern(*f.search));
  }
  return where;
}

}  // namespace

// ---------------------------------------------------------------- videos

void Store::create_video(const VideoRow& v, const std::optional<JobRow>& job) {
  db_.tx([&](soci::session& s) {
    long long size = v.file_size, created = v.created_at, updated = v.updated_at;
    int pub = v.is_public, dl = v.allow_download;
    std::string source(to_string(v.source_type)), status(to_string(v.status)), vis(to_string(v.visibility));
    s << sql::kInsertVideo, use(v.id), use(v.uploaded_by_id), use(v.title), use(v.description), use(v.category),
        use(v.tags), use(source), use(v.external_url), use(v.file_path), use(v.original_filename), use(v.mime_type), use(size),
        use(v.thumbnail), use(v.duration), use(v.width), use(v.height), use(status), use(v.processing_error),
        use(pub), use(vis), use(dl), use(v.metadata), use(created), use(updated);
    if (job) insert_job(s, *job);
  });
}

std::optional<VideoRow> Store::video(const std::string& id) {
  return db_.with([&](soci::session& s) { return one_video(s, id); });
}

std::vector<VideoRow> Store::list_videos(const VideoFilter& f, int limit, int offset, long long& count) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = list_where(f, p);
    count = db::fetch_count(s, sql::kCountVideos + where, [&](soci::statement& st) { p.bind(st); });
    return db::select_rows(s, sql::kVideo,
                           sql::kVideoFrom + where + " ORDER BY " + sql::order_by(f.ordering) + sql::kVideoPage,
                           [&](soci::statement& st) {
                             p.bind(st);
                             st.exchange(use(limit, "lim"));
                             st.exchange(use(offset, "off"));
                           });
  });
}

void Store::update_video(const VideoRow& v) {
  db_.with([&](soci::session& s) {
    long long updated = v.updated_at;
    int pub = v.is_public, dl = v.allow_download;
    std::string vis(to_string(v.visibility));
    s << sql::kUpdateVideo, use(v.title), use(v.description), use(v.category), use(v.tags), use(pub), use(vis), use(dl),
        use(updated), use(v.id);
  });
}

bool Store::delete_video(const std::string& id, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    long long t = now;
    s << sql::kCancelJobsOfVideo, use(t), use(t), use(id);
    soci::statement st = (s.prepare << sql::kDeleteVideo, use(id));
    return db::execute_counting(st) > 0;
  });
}

// ---------------------------------------------------------------- jobs

std::optional<JobRow> Store::claim_job(const std::string& worker_id, std::int64_t now, std::int64_t lease_ms) {
  return db_.tx([&](soci::session& s) -> std::optional<JobRow> {
    long long t = now, stale = now - lease_ms;
    const std::string reason = "the worker stopped answering (lease expired) on the last attempt";
    s << sql::kFailSpentVideos, use(reason), use(t), use(stale);
    s << sql::kFailSpentJobs, use(reason), use(t), use(t), use(stale);
    std::string id;
    soci::indicator ind = soci::i_null;
    std::string due = sql::kDueJob;
    if (db_.dialect() == db::Dialect::postgresql) due += sql::kSkipLocked;
    s << due, into(id, ind), use(t), use(stale);
    if (ind == soci::i_null || !s.got_data()) return std::nullopt;
    s << sql::kStartJob, use(worker_id), use(t), use(t), use(id);
    return db::select_one(s, sql::kJob, sql::kJobById, db::uses(id));
  });
}

bool Store::heartbeat(const std::string& job_id, const std::string& worker_id, int progress, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long t = now;
    soci::statement st = (s.prepare << sql::kHeartbeat, use(t), use(progress), use(t), use(job_id), use(worker_id));
    return db::execute_counting(st) > 0;
  });
}

bool Store::finish_job(const std::string& job_id, const std::string& worker_id, const VideoRow& v, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    long long t = now;
    soci::statement st = (s.prepare << sql::kSucceedJob, use(t), use(t), use(job_id), use(worker_id));
    if (db::execute_counting(st) == 0) return false;
    long long size = v.file_size;
    s << sql::kVideoReady, use(v.duration), use(v.width), use(v.height), use(size), use(v.thumbnail),
        use(v.metadata), use(t), use(v.id);
    return true;
  });
}

void Store::fail_job(const std::string& job_id, const std::string& worker_id, const std::string& video_id,
                     const std::string& error, std::optional<std::int64_t> retry_at, std::int64_t now) {
  db_.tx([&](soci::session& s) {
    long long t = now;
    if (retry_at) {
      long long next = *retry_at;
      s << sql::kRetryJob, use(next), use(error), use(t), use(job_id), use(worker_id);
      return;
    }
    soci::statement st = (s.prepare << sql::kFailJob, use(error), use(t), use(t), use(job_id), use(worker_id));
    if (db::execute_counting(st) == 0) return;
    s << sql::kVideoFailed, use(error), use(t), use(video_id);
  });
}

void Store::release_job(const std::string& job_id, const std::string& worker_id, std::int64_t now) {
  db_.with([&](soci::session& s) {
    long long t = now;
    s << sql::kReleaseJob, use(t), use(t), use(job_id), use(worker_id);
  });
}

std::optional<JobRow> Store::latest_job(const std::string& video_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kJob, sql::kLatestJobOf, db::uses(video_id)); });
}

// ---------------------------------------------------------------- likes

LikeCounts Store::react(const std::string& video_id, const std::string& user_id, bool is_like,
                        const std::string& like_id, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    std::optional<bool> is_like_now;
    int existing = 0;
    soci::indicator ind = soci::i_null;
    s << sql::kReactionOf, into(existing, ind), use(video_id), use(user_id);
    bool had = s.got_data() && ind != soci::i_null;
    int v = is_like;
    if (!had) {
      long long t = now;
      s << sql::kInsertReaction, use(like_id), use(video_id), use(user_id), use(v), use(t);
      s << (is_like ? sql::kAddLike : sql::kAddDislike), use(video_id);
      is_like_now = is_like;
    } else if (static_cast<bool>(existing) == is_like) {
      s << sql::kDeleteReaction, use(video_id), use(user_id);
      s << (is_like ? sql::kRemoveLike : sql::kRemoveDislike), use(video_id);
    } else {
      s << sql::kChangeReaction, use(v), use(video_id), use(user_id);
      s << (is_like ? sql::kDislikeToLike : sql::kLikeToDislike), use(video_id);
      is_like_now = is_like;
    }
    auto out = db::select_one(s, sql::kLikeCounts, sql::kLikeCountsOf, db::uses(video_id)).value_or(LikeCounts{});
    out.is_like = is_like_now;
    return out;
  });
}

// ---------------------------------------------------------------- comments

void Store::add_comment(const CommentRow& c) {
  db_.tx([&](soci::session& s) {
    long long created = c.created_at;
    s << sql::kInsertComment, use(c.id), use(c.video_id), use(c.user_id), use(c.parent_id), use(c.content),
        use(created), use(created);
    if (c.parent_id) s << sql::kAddReply, use(*c.parent_id);
    s << sql::kAddComment, use(c.video_id);
  });
}

std::optional<CommentRow> Store::comment(const std::string& id) {
  return db_.with([&](soci::session& s) { return one_comment(s, id); });
}

std::vector<CommentRow> Store::comments(const std::string& video_id, const std::optional<std::string>& parent_id,
                                        bool newest_first, int limit, int offset, long long& count) {
  return db_.with([&](soci::session& s) {
    std::string where = parent_id ? sql::kRepliesTo : sql::kTopLevelOf;
    auto which = [&](soci::statement& st) {
      st.exchange(use(video_id, "video"));
      if (parent_id) st.exchange(use(*parent_id, "parent"));
    };
    count = db::fetch_count(s, sql::kCountCommentsFrom + where, which);
    return db::select_rows(s, sql::kComment,
                           sql::kCommentFrom + where + (newest_first ? sql::kNewestFirst : sql::kOldestFirst),
                           [&](soci::statement& st) {
                             which(st);
                             st.exchange(use(limit, "lim"));
                             st.exchange(use(offset, "off"));
                           });
  });
}

void Store::edit_comment(const std::string& id, const std::string& content, std::int64_t now) {
  db_.with([&](soci::session& s) {
    long long t = now;
    s << sql::kEditComment, use(content), use(t), use(id);
  });
}

void Store::delete_comment(const std::string& id, std::int64_t now) {
  db_.tx([&](soci::session& s) {
    auto c = one_comment(s, id);
    if (!c || c->is_deleted) return;
    long long t = now;
    s << sql::kRemoveComment, use(c->video_id);
    if (c->reply_count > 0) {
      s << sql::kBlankComment, use(t), use(id);
      return;
    }
    s << sql::kDeleteComment, use(id);
    // Walk up: a placeholder whose last reply went away goes too.
    auto parent = c->parent_id;
    while (parent) {
      s << sql::kRemoveReply, use(*parent);
      auto p = one_comment(s, *parent);
      if (!p || !p->is_deleted || p->reply_count > 0) break;
      s << sql::kDeleteComment, use(p->id);
      parent = p->parent_id;
    }
  });
}

CommentLikeResult Store::toggle_comment_like(const std::string& comment_id, const std::string& user_id,
                                             const std::string& like_id, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    CommentLikeResult out;
    soci::statement del = (s.prepare << sql::kDeleteCommentLike, use(comment_id), use(user_id));
    if (db::execute_counting(del) > 0) {
      s << sql::kRemoveCommentLike, use(comment_id);
    } else {
      long long t = now;
      s << sql::kInsertCommentLike, use(like_id), use(comment_id), use(user_id), use(t);
      s << sql::kAddCommentLike, use(comment_id);
      out.liked = true;
    }
    out.likes_count = db::fetch_count(s, sql::kCommentLikes, db::uses(comment_id));
    return out;
  });
}

MyReactions Store::reactions_of(const std::string& video_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    MyReactions out;
    int is_like = 0;
    soci::indicator ind = soci::i_null;
    s << sql::kReactionOf, into(is_like, ind), use(video_id), use(user_id);
    if (s.got_data() && ind != soci::i_null) out.is_like = is_like != 0;
    std::string id;
    soci::statement st = (s.prepare << sql::kCommentsLikedBy, into(id), use(video_id), use(user_id));
    if (st.execute(true)) {
      do out.liked_comment_ids.push_back(id);
      while (st.fetch());
    }
    return out;
  });
}

// ---------------------------------------------------------------- views, watch time, downloads

std::pair<bool, std::int64_t> Store::count_view(const std::string& video_id, const std::string& viewer_key,
                                                const std::optional<std::string>& user_id, const std::string& ip,
                                                const std::string& view_id, std::int64_t now,
                                                std::int64_t window_ms) {
  return db_.tx([&](soci::session& s) {
    long long t = now, before = now - window_ms;
    soci::statement renew = (s.prepare << sql::kRenewViewer, use(t), use(video_id), use(viewer_key), use(before));
    bool counted = db::execute_counting(renew) > 0;
    if (!counted) {
      soci::statement fresh = (s.prepare << sql::kInsertViewer, use(video_id), use(viewer_key), use(t));
      counted = db::execute_counting(fresh) > 0;
    }
    if (counted) {
      s << sql::kInsertView, use(view_id), use(video_id), use(user_id), use(viewer_key), use(ip), use(t);
      s << sql::kAddView, use(video_id);
    }
    long long n = db::fetch_count(s, sql::kViewCount, db::uses(video_id));
    return std::pair<bool, std::int64_t>(counted, n);
  });
}

WatchTimeRow Store::record_watch(const WatchTimeRow& d, std::optional<double> video_duration) {
  return db_.tx([&](soci::session& s) {
    long long t = d.updated_at, total = d.total_watch_time, buffering = d.buffering_events;
    double completion = 0;
    if (video_duration && *video_duration > 0)
      completion = std::min(100.0, std::max(0.0, d.last_position / *video_duration * 100.0));
    const std::string party_key = d.party_id.value_or("");
    s << sql::kAddWatchTime, use(d.id), use(d.user_id), use(d.video_id), use(d.party_id), use(party_key), use(total),
        use(d.last_position), use(completion), use(d.average_quality), use(buffering), use(t), use(t);
    auto row = db::select_one(s, sql::kWatchTime, sql::kWatchTimeOf, db::uses(d.user_id, d.video_id, party_key));
    return row.value_or(WatchTimeRow{});
  });
}

// ---- mobile (#21)
bool Store::advance_watch(const WatchTimeRow& d, std::optional<double> video_duration) {
  return db_.with([&](soci::session& s) {
    long long t = d.updated_at;
    double completion = 0;
    if (video_duration && *video_duration > 0)
      completion = std::min(100.0, std::max(0.0, d.last_position / *video_duration * 100.0));
    soci::statement st = (s.prepare << sql::kAdvanceWatch, use(d.id), use(d.user_id), use(d.video_id),
                          use(d.last_position), use(completion), use(t), use(t));
    return db::execute_counting(st) > 0;
  });
}

std::optional<WatchTimeRow> Store::solo_watch_time(const std::string& user_id, const std::string& video_id) {
  const std::string party_key;
  return db_.with([&](soci::session& s) {
    return db::select_one(s, sql::kWatchTime, sql::kWatchTimeOf, db::uses(user_id, video_id, party_key));
  });
}

std::vector<WatchTimeRow> Store::solo_watch_times(const std::string& user_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kWatchTime, sql::kSoloWatchTimesOfUser, db::uses(user_id)); });
}
// ---- end mobile

std::vector<WatchTimeRow> Store::watch_times_of(const std::string& user_id, int limit, int offset, long long& count) {
  return db_.with([&](soci::session& s) {
    count = db::fetch_count(s, sql::kCountWatchTimesOfUser, db::uses(user_id));
    return db::select_rows(s, sql::kWatchTime, sql::kWatchTimesOfUser, db::uses(user_id, limit, offset));
  });
}

// ---- mobile home (#21)
std::vector<ResumeRow> Store::resumable(const std::string& user_id, int limit) {
  return db_.with([&](soci::session& s) {
    const auto& u = user_id;
    return db::select_rows(s, sql::kResume, sql::kResumable, db::uses(u, u, u, u, u, u, limit));
  });
}

std::vector<VideoRow> Store::popular_since(const std::string& viewer_id, std::int64_t since, int limit) {
  return db_.with([&](soci::session& s) {
    long long t = since;
    return db::select_rows(s, sql::kVideo, sql::kPopularSince, db::uses(t, viewer_id, viewer_id, limit));
  });
}
// ---- end mobile home

std::vector<double> Store::completions(const std::string& video_id) {
  return db_.with([&](soci::session& s) {
    std::vector<double> out;
    soci::rowset<double> rows = (s.prepare << sql::kCompletionsOf, use(video_id));
    for (double v : rows) out.push_back(v);
    return out;
  });
}

void Store::record_download(const std::string& id, const std::string& video_id,
                            const std::optional<std::string>& user_id, const std::string& ip,
                            const std::string& user_agent, std::int64_t now) {
  db_.tx([&](soci::session& s) {
    long long t = now;
    s << sql::kInsertDownload, use(id), use(video_id), use(user_id), use(ip), use(user_agent), use(t);
    s << sql::kAddDownload, use(video_id);
  });
}

// ---------------------------------------------------------------- tus uploads

void Store::create_upload(const UploadRow& u) {
  db_.with([&](soci::session& s) {
    long long len = u.upload_length, t = u.created_at;
    s << sql::kInsertUpload, use(u.id), use(u.user_id), use(len), use(u.metadata), use(t), use(t);
  });
}

std::optional<UploadRow> Store::upload(const std::string& id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kUpload, sql::kUploadById, db::uses(id)); });
}

bool Store::advance_upload(const std::string& id, std::int64_t from, std::int64_t to, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long f = from, t = to, n = now;
    soci::statement st = (s.prepare << sql::kAdvanceUpload, use(t), use(n), use(id), use(f));
    return db::execute_counting(st) > 0;
  });
}

void Store::set_upload_video(const std::string& id, const std::string& video_id, std::int64_t now) {
  db_.with([&](soci::session& s) {
    long long n = now;
    s << sql::kSetUploadVideo, use(video_id), use(n), use(id);
  });
}

std::vector<std::string> Store::stale_uploads(std::int64_t before, int limit) {
  return db_.with([&](soci::session& s) {
    long long b = before;
    std::vector<std::string> out;
    std::string id;
    soci::statement st = (s.prepare << sql::kStaleUploads, into(id), use(b), use(limit));
    if (st.execute(true)) {
      do out.push_back(id);
      while (st.fetch());
    }
    return out;
  });
}

bool Store::delete_stale_upload(const std::string& id, std::int64_t before) {
  return db_.with([&](soci::session& s) {
    long long b = before;
    soci::statement st = (s.prepare << sql::kDeleteStaleUpload, use(id), use(b));
    return db::execute_counting(st) > 0;
  });
}

// ---------------------------------------------------------------- moderation (#19)

namespace {
bool changes(soci::statement st) { return db::execute_counting(st) > 0; }
}  // namespace

bool Store::hide_comment(const std::string& id) {
  return db_.with([&](soci::session& s) { return changes((s.prepare << sql::kHideComment, use(id))); });
}

bool Store::restore_comment(const std::string& id, const std::string& content) {
  return db_.with([&](soci::session& s) { return changes((s.prepare << sql::kRestoreComment, use(content), use(id))); });
}

bool Store::hide_video(const std::string& id, std::int64_t now) {
  long long t = now;
  return db_.with([&](soci::session& s) { return changes((s.prepare << sql::kHideVideo, use(t), use(id))); });
}

bool Store::restore_video(const std::string& id) {
  return db_.with([&](soci::session& s) { return changes((s.prepare << sql::kRestoreVideo, use(id))); });
}

std::int64_t Store::bytes_of(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kBytesOfUploader, db::uses(user_id)); });
}

}  // namespace wp::videos
