#include "modules/videos/store.hpp"

#include <soci/soci.h>

#include <deque>

#include "db/affected.hpp"
#include "db/rows.hpp"
#include "db/soci_optional.hpp"

namespace wp::videos {

using soci::into;
using soci::use;

namespace {

constexpr const char* kVideoColumns =
    "v.id, v.uploaded_by_id, u.username, v.title, v.description, v.category, v.source_type, v.external_url, "
    "v.file_path, v.original_filename, v.mime_type, v.file_size, v.thumbnail, v.duration, v.width, v.height, "
    "v.status, v.processing_error, v.is_public, v.allow_download, v.view_count, v.like_count, v.dislike_count, "
    "v.comment_count, v.download_count, v.metadata, v.created_at, v.updated_at";
constexpr const char* kVideoFrom = " FROM videos v JOIN users u ON u.id = v.uploaded_by_id";

// Reads rows of kVideoColumns. Booleans and 64-bit numbers travel as int and long long.
struct VideoReader {
  VideoRow row;
  long long file_size = 0, views = 0, likes = 0, dislikes = 0, comments = 0, downloads = 0, created = 0, updated = 0;
  int is_public = 0, allow_download = 0;

  void bind(soci::statement& st) {
    st.exchange(into(row.id));
    st.exchange(into(row.uploaded_by_id));
    st.exchange(into(row.uploader_username));
    st.exchange(into(row.title));
    st.exchange(into(row.description));
    st.exchange(into(row.category));
    st.exchange(into(row.source_type));
    st.exchange(into(row.external_url));
    st.exchange(into(row.file_path));
    st.exchange(into(row.original_filename));
    st.exchange(into(row.mime_type));
    st.exchange(into(file_size));
    st.exchange(into(row.thumbnail));
    st.exchange(into(row.duration));
    st.exchange(into(row.width));
    st.exchange(into(row.height));
    st.exchange(into(row.status));
    st.exchange(into(row.processing_error));
    st.exchange(into(is_public));
    st.exchange(into(allow_download));
    st.exchange(into(views));
    st.exchange(into(likes));
    st.exchange(into(dislikes));
    st.exchange(into(comments));
    st.exchange(into(downloads));
    st.exchange(into(row.metadata));
    st.exchange(into(created));
    st.exchange(into(updated));
  }
  VideoRow get() const {
    VideoRow r = row;
    r.file_size = file_size;
    r.view_count = views;
    r.like_count = likes;
    r.dislike_count = dislikes;
    r.comment_count = comments;
    r.download_count = downloads;
    r.created_at = created;
    r.updated_at = updated;
    r.is_public = is_public;
    r.allow_download = allow_download;
    return r;
  }
};

constexpr const char* kJobColumns =
    "id, video_id, status, attempts, max_attempts, next_attempt_at, locked_by, locked_at, progress, error, "
    "created_at, updated_at, finished_at";

struct JobReader {
  JobRow row;
  long long next = 0, created = 0, updated = 0;
  std::optional<long long> locked_at, finished;
  void bind(soci::statement& st) {
    st.exchange(into(row.id));
    st.exchange(into(row.video_id));
    st.exchange(into(row.status));
    st.exchange(into(row.attempts));
    st.exchange(into(row.max_attempts));
    st.exchange(into(next));
    st.exchange(into(row.locked_by));
    st.exchange(into(locked_at));
    st.exchange(into(row.progress));
    st.exchange(into(row.error));
    st.exchange(into(created));
    st.exchange(into(updated));
    st.exchange(into(finished));
  }
  JobRow get() const {
    JobRow r = row;
    r.next_attempt_at = next;
    r.created_at = created;
    r.updated_at = updated;
    if (locked_at) r.locked_at = *locked_at;
    if (finished) r.finished_at = *finished;
    return r;
  }
};

constexpr const char* kCommentColumns =
    "c.id, c.video_id, c.user_id, u.username, c.parent_id, c.content, c.is_edited, c.is_deleted, c.likes_count, "
    "c.reply_count, c.created_at, c.updated_at";

struct CommentReader {
  CommentRow row;
  int edited = 0, deleted = 0;
  long long likes = 0, replies = 0, created = 0, updated = 0;
  void bind(soci::statement& st) {
    st.exchange(into(row.id));
    st.exchange(into(row.video_id));
    st.exchange(into(row.user_id));
    st.exchange(into(row.username));
    st.exchange(into(row.parent_id));
    st.exchange(into(row.content));
    st.exchange(into(edited));
    st.exchange(into(deleted));
    st.exchange(into(likes));
    st.exchange(into(replies));
    st.exchange(into(created));
    st.exchange(into(updated));
  }
  CommentRow get() const {
    CommentRow r = row;
    r.is_edited = edited;
    r.is_deleted = deleted;
    r.likes_count = likes;
    r.reply_count = replies;
    r.created_at = created;
    r.updated_at = updated;
    return r;
  }
};

// Positional parameters of a statement built at run time; deques keep references stable.
struct Params {
  std::deque<std::string> strings;
  std::deque<long long> ints;
  std::vector<std::pair<bool, std::size_t>> order;  // (is_string, index)
  std::string add(std::string v) {
    strings.push_back(std::move(v));
    order.emplace_back(true, strings.size() - 1);
    return ":p" + std::to_string(order.size());
  }
  std::string add(long long v) {
    ints.push_back(v);
    order.emplace_back(false, ints.size() - 1);
    return ":p" + std::to_string(order.size());
  }
  void bind(soci::statement& st) {
    for (auto& [is_string, i] : order) {
      if (is_string)
        st.exchange(use(strings[i]));
      else
        st.exchange(use(ints[i]));
    }
  }
};

std::string like_pattern(const std::string& needle) {
  std::string out = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out + "%";
}

std::optional<VideoRow> one_video(soci::session& s, const std::string& id) {
  std::string v = id;
  return db::fetch_one<VideoReader>(s, std::string("SELECT ") + kVideoColumns + kVideoFrom + " WHERE v.id = :id",
                                    [&](soci::statement& st) { st.exchange(use(v)); });
}

std::optional<CommentRow> one_comment(soci::session& s, const std::string& id) {
  std::string v = id;
  return db::fetch_one<CommentReader>(
      s, std::string("SELECT ") + kCommentColumns + " FROM video_comments c JOIN users u ON u.id = c.user_id WHERE c.id = :id",
      [&](soci::statement& st) { st.exchange(use(v)); });
}

std::optional<JobRow> one_job(soci::session& s, const std::string& where, const std::string& value) {
  std::string v = value;
  return db::fetch_one<JobReader>(s, std::string("SELECT ") + kJobColumns + " FROM video_processing_jobs WHERE " + where,
                                  [&](soci::statement& st) { st.exchange(use(v)); });
}

void insert_job(soci::session& s, const JobRow& j) {
  long long next = j.next_attempt_at, created = j.created_at;
  s << "INSERT INTO video_processing_jobs (id, video_id, status, attempts, max_attempts, next_attempt_at, progress, "
       "error, created_at, updated_at) VALUES (:id, :v, :st, 0, :ma, :na, 0, '', :c, :u)",
      use(j.id), use(j.video_id), use(j.status), use(j.max_attempts), use(next), use(created), use(created);
}

}  // namespace

// ---------------------------------------------------------------- videos

void Store::create_video(const VideoRow& v, const std::optional<JobRow>& job) {
  db_.tx([&](soci::session& s) {
    long long size = v.file_size, created = v.created_at, updated = v.updated_at;
    int pub = v.is_public, dl = v.allow_download;
    s << "INSERT INTO videos (id, uploaded_by_id, title, description, category, source_type, external_url, "
         "file_path, original_filename, mime_type, file_size, thumbnail, duration, width, height, status, "
         "processing_error, is_public, allow_download, metadata, created_at, updated_at) VALUES (:id, :ub, :t, :d, "
         ":c, :st, :eu, :fp, :of, :mt, :fs, :th, :du, :w, :h, :s, :pe, :p, :dl, :m, :ca, :ua)",
        use(v.id), use(v.uploaded_by_id), use(v.title), use(v.description), use(v.category), use(v.source_type),
        use(v.external_url), use(v.file_path), use(v.original_filename), use(v.mime_type), use(size),
        use(v.thumbnail), use(v.duration), use(v.width), use(v.height), use(v.status), use(v.processing_error),
        use(pub), use(dl), use(v.metadata), use(created), use(updated);
    if (job) insert_job(s, *job);
  });
}

std::optional<VideoRow> Store::video(const std::string& id) {
  return db_.with([&](soci::session& s) { return one_video(s, id); });
}

std::vector<VideoRow> Store::list_videos(const VideoFilter& f, int limit, int offset, long long& count) {
  return db_.with([&](soci::session& s) {
    Params p;
    std::string where = " WHERE 1=1";
    if (!f.viewer_is_staff) {
      if (f.viewer_id)
        where += " AND ((v.is_public = TRUE AND v.status = 'ready') OR v.uploaded_by_id = " + p.add(*f.viewer_id) + ")";
      else
        where += " AND v.is_public = TRUE AND v.status = 'ready'";
    }
    if (f.category) where += " AND v.category = " + p.add(*f.category);
    if (f.uploader) where += " AND v.uploaded_by_id = " + p.add(*f.uploader);
    if (f.status) where += " AND v.status = " + p.add(*f.status);
    if (f.is_public) where += std::string(" AND v.is_public = ") + (*f.is_public ? "TRUE" : "FALSE");
    if (f.search && !f.search->empty()) {
      auto a = p.add(like_pattern(*f.search));
      auto b = p.add(like_pattern(*f.search));
      where += " AND (LOWER(v.title) LIKE " + a + " ESCAPE '\\' OR LOWER(v.description) LIKE " + b + " ESCAPE '\\')";
    }
    std::string order;
    if (f.ordering == "created_at") order = "v.created_at ASC";
    else if (f.ordering == "-view_count") order = "v.view_count DESC, v.created_at DESC";
    else if (f.ordering == "view_count") order = "v.view_count ASC, v.created_at DESC";
    else if (f.ordering == "-like_count") order = "v.like_count DESC, v.created_at DESC";
    else if (f.ordering == "like_count") order = "v.like_count ASC, v.created_at DESC";
    else if (f.ordering == "title") order = "v.title ASC";
    else if (f.ordering == "-title") order = "v.title DESC";
    else order = "v.created_at DESC";
    count = db::fetch_count(s, std::string("SELECT COUNT(*)") + kVideoFrom + where,
                            [&](soci::statement& st) { p.bind(st); });
    Params q = p;
    auto lim = q.add(static_cast<long long>(limit));
    auto off = q.add(static_cast<long long>(offset));
    return db::fetch_rows<VideoReader>(
        s,
        std::string("SELECT ") + kVideoColumns + kVideoFrom + where + " ORDER BY " + order + ", v.id LIMIT " + lim +
            " OFFSET " + off,
        [&](soci::statement& st) { q.bind(st); });
  });
}

void Store::update_video(const VideoRow& v) {
  db_.with([&](soci::session& s) {
    long long updated = v.updated_at;
    int pub = v.is_public, dl = v.allow_download;
    s << "UPDATE videos SET title = :t, description = :d, category = :c, is_public = :p, allow_download = :dl, "
         "updated_at = :u WHERE id = :id",
        use(v.title), use(v.description), use(v.category), use(pub), use(dl), use(updated), use(v.id);
  });
}

bool Store::delete_video(const std::string& id, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    long long t = now;
    s << "UPDATE video_processing_jobs SET status = 'cancelled', error = 'video deleted', locked_by = NULL, "
         "updated_at = :t, finished_at = :t2 WHERE video_id = :v AND status IN ('queued', 'running')",
        use(t), use(t), use(id);
    soci::statement st = (s.prepare << "DELETE FROM videos WHERE id = :id", use(id));
    return db::execute_counting(st) > 0;
  });
}

// ---------------------------------------------------------------- jobs

std::optional<JobRow> Store::claim_job(const std::string& worker_id, std::int64_t now, std::int64_t lease_ms) {
  return db_.tx([&](soci::session& s) -> std::optional<JobRow> {
    long long t = now, stale = now - lease_ms;
    // A job whose last allowed attempt lost its lease (the worker died) fails
    // for good instead of being taken over once more.
    const std::string spent =
        "status = 'running' AND locked_at < :stale AND attempts >= max_attempts";
    const std::string reason = "the worker stopped answering (lease expired) on the last attempt";
    s << "UPDATE videos SET status = 'failed', processing_error = :e, updated_at = :t WHERE id IN (SELECT video_id "
         "FROM video_processing_jobs WHERE " + spent + ")",
        use(reason), use(t), use(stale);
    s << "UPDATE video_processing_jobs SET status = 'failed', locked_by = NULL, error = :e, updated_at = :t, "
         "finished_at = :t2 WHERE " + spent,
        use(reason), use(t), use(t), use(stale);
    std::string id;
    soci::indicator ind = soci::i_null;
    // SQLite: tx() holds the write lock (BEGIN IMMEDIATE), so select-then-update is atomic.
    // PostgreSQL: the row lock with SKIP LOCKED lets concurrent workers pick different jobs.
    std::string sql =
        "SELECT id FROM video_processing_jobs WHERE (status = 'queued' AND next_attempt_at <= :t) OR "
        "(status = 'running' AND locked_at < :stale AND attempts < max_attempts) ORDER BY created_at, id LIMIT 1";
    if (s.get_backend_name() == "postgresql") sql += " FOR UPDATE SKIP LOCKED";
    s << sql, into(id, ind), use(t), use(stale);
    if (ind == soci::i_null || !s.got_data()) return std::nullopt;
    s << "UPDATE video_processing_jobs SET status = 'running', attempts = attempts + 1, locked_by = :w, "
         "locked_at = :t, progress = 0, updated_at = :t2 WHERE id = :id",
        use(worker_id), use(t), use(t), use(id);
    return one_job(s, "id = :id", id);
  });
}

bool Store::heartbeat(const std::string& job_id, const std::string& worker_id, int progress, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long t = now;
    soci::statement st = (s.prepare << "UPDATE video_processing_jobs SET locked_at = :t, progress = :p, "
                                       "updated_at = :t2 WHERE id = :id AND locked_by = :w AND status = 'running'",
                          use(t), use(progress), use(t), use(job_id), use(worker_id));
    return db::execute_counting(st) > 0;
  });
}

bool Store::finish_job(const std::string& job_id, const std::string& worker_id, const VideoRow& v, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    long long t = now;
    soci::statement st =
        (s.prepare << "UPDATE video_processing_jobs SET status = 'succeeded', progress = 100, error = '', "
                      "locked_by = NULL, updated_at = :t, finished_at = :t2 WHERE id = :id AND locked_by = :w AND "
                      "status = 'running'",
         use(t), use(t), use(job_id), use(worker_id));
    if (db::execute_counting(st) == 0) return false;
    long long size = v.file_size;
    s << "UPDATE videos SET status = 'ready', processing_error = '', duration = :d, width = :w, height = :h, "
         "file_size = :fs, thumbnail = :th, metadata = :m, updated_at = :t WHERE id = :id",
        use(v.duration), use(v.width), use(v.height), use(size), use(v.thumbnail), use(v.metadata), use(t),
        use(v.id);
    return true;
  });
}

void Store::fail_job(const std::string& job_id, const std::string& worker_id, const std::string& video_id,
                     const std::string& error, std::optional<std::int64_t> retry_at, std::int64_t now) {
  db_.tx([&](soci::session& s) {
    long long t = now;
    if (retry_at) {
      long long next = *retry_at;
      s << "UPDATE video_processing_jobs SET status = 'queued', next_attempt_at = :n, locked_by = NULL, "
           "locked_at = NULL, error = :e, updated_at = :t WHERE id = :id AND locked_by = :w AND status = 'running'",
          use(next), use(error), use(t), use(job_id), use(worker_id);
      return;
    }
    soci::statement st =
        (s.prepare << "UPDATE video_processing_jobs SET status = 'failed', locked_by = NULL, error = :e, "
                      "updated_at = :t, finished_at = :t2 WHERE id = :id AND locked_by = :w AND status = 'running'",
         use(error), use(t), use(t), use(job_id), use(worker_id));
    if (db::execute_counting(st) == 0) return;
    s << "UPDATE videos SET status = 'failed', processing_error = :e, updated_at = :t WHERE id = :id", use(error),
        use(t), use(video_id);
  });
}

void Store::release_job(const std::string& job_id, const std::string& worker_id, std::int64_t now) {
  db_.with([&](soci::session& s) {
    long long t = now;
    s << "UPDATE video_processing_jobs SET status = 'queued', attempts = attempts - 1, progress = 0, "
         "locked_by = NULL, locked_at = NULL, next_attempt_at = :n, updated_at = :t WHERE id = :id AND "
         "locked_by = :w AND status = 'running'",
        use(t), use(t), use(job_id), use(worker_id);
  });
}

std::optional<JobRow> Store::latest_job(const std::string& video_id) {
  return db_.with([&](soci::session& s) {
    return one_job(s, "video_id = :v ORDER BY created_at DESC, id LIMIT 1", video_id);
  });
}

// ---------------------------------------------------------------- likes

LikeCounts Store::react(const std::string& video_id, const std::string& user_id, bool is_like,
                        const std::string& like_id, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    LikeCounts out;
    int existing = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT is_like FROM video_likes WHERE video_id = :v AND user_id = :u", into(existing, ind), use(video_id),
        use(user_id);
    bool had = s.got_data() && ind != soci::i_null;
    const char* mine = is_like ? "like_count" : "dislike_count";
    const char* other = is_like ? "dislike_count" : "like_count";
    if (!had) {
      long long t = now;
      int v = is_like;
      s << "INSERT INTO video_likes (id, video_id, user_id, is_like, created_at) VALUES (:id, :v, :u, :l, :t)",
          use(like_id), use(video_id), use(user_id), use(v), use(t);
      s << std::string("UPDATE videos SET ") + mine + " = " + mine + " + 1 WHERE id = :id", use(video_id);
      out.is_like = is_like;
    } else if (static_cast<bool>(existing) == is_like) {
      s << "DELETE FROM video_likes WHERE video_id = :v AND user_id = :u", use(video_id), use(user_id);
      s << std::string("UPDATE videos SET ") + mine + " = " + mine + " - 1 WHERE id = :id", use(video_id);
    } else {
      int v = is_like;
      s << "UPDATE video_likes SET is_like = :l WHERE video_id = :v AND user_id = :u", use(v), use(video_id),
          use(user_id);
      s << std::string("UPDATE videos SET ") + mine + " = " + mine + " + 1, " + other + " = " + other +
               " - 1 WHERE id = :id",
          use(video_id);
      out.is_like = is_like;
    }
    long long likes = 0, dislikes = 0;
    s << "SELECT like_count, dislike_count FROM videos WHERE id = :id", into(likes), into(dislikes), use(video_id);
    out.like_count = likes;
    out.dislike_count = dislikes;
    return out;
  });
}

// ---------------------------------------------------------------- comments

void Store::add_comment(const CommentRow& c) {
  db_.tx([&](soci::session& s) {
    long long created = c.created_at;
    s << "INSERT INTO video_comments (id, video_id, user_id, parent_id, content, created_at, updated_at) VALUES "
         "(:id, :v, :u, :p, :c, :t, :t2)",
        use(c.id), use(c.video_id), use(c.user_id), use(c.parent_id), use(c.content), use(created), use(created);
    if (c.parent_id)
      s << "UPDATE video_comments SET reply_count = reply_count + 1 WHERE id = :id", use(*c.parent_id);
    s << "UPDATE videos SET comment_count = comment_count + 1 WHERE id = :id", use(c.video_id);
  });
}

std::optional<CommentRow> Store::comment(const std::string& id) {
  return db_.with([&](soci::session& s) { return one_comment(s, id); });
}

std::vector<CommentRow> Store::comments(const std::string& video_id, const std::optional<std::string>& parent_id,
                                        bool newest_first, int limit, int offset, long long& count) {
  return db_.with([&](soci::session& s) {
    Params p;
    std::string where = " WHERE c.video_id = " + p.add(video_id);
    where += parent_id ? " AND c.parent_id = " + p.add(*parent_id) : std::string(" AND c.parent_id IS NULL");
    count = db::fetch_count(s, "SELECT COUNT(*) FROM video_comments c" + where,
                            [&](soci::statement& st) { p.bind(st); });
    Params q = p;
    auto lim = q.add(static_cast<long long>(limit));
    auto off = q.add(static_cast<long long>(offset));
    return db::fetch_rows<CommentReader>(
        s,
        std::string("SELECT ") + kCommentColumns + " FROM video_comments c JOIN users u ON u.id = c.user_id" + where +
            " ORDER BY c.created_at " + (newest_first ? "DESC" : "ASC") + ", c.id LIMIT " + lim + " OFFSET " + off,
        [&](soci::statement& st) { q.bind(st); });
  });
}

void Store::edit_comment(const std::string& id, const std::string& content, std::int64_t now) {
  db_.with([&](soci::session& s) {
    long long t = now;
    s << "UPDATE video_comments SET content = :c, is_edited = TRUE, updated_at = :t WHERE id = :id", use(content),
        use(t), use(id);
  });
}

void Store::delete_comment(const std::string& id, std::int64_t now) {
  db_.tx([&](soci::session& s) {
    auto c = one_comment(s, id);
    if (!c || c->is_deleted) return;
    long long t = now;
    s << "UPDATE videos SET comment_count = comment_count - 1 WHERE id = :id", use(c->video_id);
    if (c->reply_count > 0) {
      s << "UPDATE video_comments SET is_deleted = TRUE, content = '', updated_at = :t WHERE id = :id", use(t),
          use(id);
      return;
    }
    s << "DELETE FROM video_comments WHERE id = :id", use(id);
    // Walk up: a placeholder whose last reply went away goes too.
    auto parent = c->parent_id;
    while (parent) {
      s << "UPDATE video_comments SET reply_count = reply_count - 1 WHERE id = :id", use(*parent);
      auto p = one_comment(s, *parent);
      if (!p || !p->is_deleted || p->reply_count > 0) break;
      s << "DELETE FROM video_comments WHERE id = :id", use(p->id);
      parent = p->parent_id;
    }
  });
}

CommentLikeResult Store::toggle_comment_like(const std::string& comment_id, const std::string& user_id,
                                             const std::string& like_id, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    CommentLikeResult out;
    soci::statement del = (s.prepare << "DELETE FROM comment_likes WHERE comment_id = :c AND user_id = :u",
                           use(comment_id), use(user_id));
    if (db::execute_counting(del) > 0) {
      s << "UPDATE video_comments SET likes_count = likes_count - 1 WHERE id = :id", use(comment_id);
    } else {
      long long t = now;
      s << "INSERT INTO comment_likes (id, comment_id, user_id, created_at) VALUES (:id, :c, :u, :t)", use(like_id),
          use(comment_id), use(user_id), use(t);
      s << "UPDATE video_comments SET likes_count = likes_count + 1 WHERE id = :id", use(comment_id);
      out.liked = true;
    }
    long long n = 0;
    s << "SELECT likes_count FROM video_comments WHERE id = :id", into(n), use(comment_id);
    out.likes_count = n;
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
    // Either statement changes a row only for the one request that wins; a
    // concurrent duplicate finds the row already renewed or already there.
    soci::statement renew = (s.prepare << "UPDATE video_viewers SET last_counted_at = :t WHERE video_id = :v AND "
                                          "viewer_key = :k AND last_counted_at <= :b",
                             use(t), use(video_id), use(viewer_key), use(before));
    bool counted = db::execute_counting(renew) > 0;
    if (!counted) {
      soci::statement fresh =
          (s.prepare << "INSERT INTO video_viewers (video_id, viewer_key, last_counted_at) VALUES (:v, :k, :t) "
                        "ON CONFLICT (video_id, viewer_key) DO NOTHING",
           use(video_id), use(viewer_key), use(t));
      counted = db::execute_counting(fresh) > 0;
    }
    if (counted) {
      s << "INSERT INTO video_views (id, video_id, user_id, viewer_key, ip_address, created_at) VALUES (:id, :v, :u, "
           ":k, :ip, :t)",
          use(view_id), use(video_id), use(user_id), use(viewer_key), use(ip), use(t);
      s << "UPDATE videos SET view_count = view_count + 1 WHERE id = :id", use(video_id);
    }
    long long n = 0;
    s << "SELECT view_count FROM videos WHERE id = :id", into(n), use(video_id);
    return std::pair<bool, std::int64_t>(counted, n);
  });
}

WatchTimeRow Store::record_watch(const WatchTimeRow& d, std::optional<double> video_duration) {
  return db_.tx([&](soci::session& s) {
    long long t = d.updated_at, total = d.total_watch_time, buffering = d.buffering_events;
    double completion = 0;
    if (video_duration && *video_duration > 0)
      completion = std::min(100.0, std::max(0.0, d.last_position / *video_duration * 100.0));
    s << "INSERT INTO watch_times (id, user_id, video_id, party_id, total_watch_time, last_position, "
         "completion_percentage, average_quality, buffering_events, created_at, updated_at) VALUES (:id, :u, :v, :p, "
         ":tw, :lp, :cp, :q, :b, :t, :t2) ON CONFLICT (user_id, video_id) DO UPDATE SET "
         "party_id = COALESCE(excluded.party_id, watch_times.party_id), "
         "total_watch_time = watch_times.total_watch_time + excluded.total_watch_time, "
         "last_position = excluded.last_position, "
         "completion_percentage = CASE WHEN excluded.completion_percentage > watch_times.completion_percentage "
         "THEN excluded.completion_percentage ELSE watch_times.completion_percentage END, "
         "average_quality = CASE WHEN excluded.average_quality = '' THEN watch_times.average_quality "
         "ELSE excluded.average_quality END, "
         "buffering_events = watch_times.buffering_events + excluded.buffering_events, updated_at = excluded.updated_at",
        use(d.id), use(d.user_id), use(d.video_id), use(d.party_id), use(total), use(d.last_position),
        use(completion), use(d.average_quality), use(buffering), use(t), use(t);
    WatchTimeRow out;
    long long created = 0, updated = 0;
    s << "SELECT id, user_id, video_id, party_id, total_watch_time, last_position, completion_percentage, "
         "average_quality, buffering_events, created_at, updated_at FROM watch_times WHERE user_id = :u AND "
         "video_id = :v",
        into(out.id), into(out.user_id), into(out.video_id), into(out.party_id), into(total), into(out.last_position),
        into(out.completion_percentage), into(out.average_quality), into(buffering), into(created), into(updated),
        use(d.user_id), use(d.video_id);
    out.total_watch_time = total;
    out.buffering_events = buffering;
    out.created_at = created;
    out.updated_at = updated;
    return out;
  });
}

void Store::record_download(const std::string& id, const std::string& video_id,
                            const std::optional<std::string>& user_id, const std::string& ip,
                            const std::string& user_agent, std::int64_t now) {
  db_.tx([&](soci::session& s) {
    long long t = now;
    s << "INSERT INTO video_downloads (id, video_id, user_id, ip_address, user_agent, created_at) VALUES (:id, :v, "
         ":u, :ip, :ua, :t)",
        use(id), use(video_id), use(user_id), use(ip), use(user_agent), use(t);
    s << "UPDATE videos SET download_count = download_count + 1 WHERE id = :id", use(video_id);
  });
}

// ---------------------------------------------------------------- tus uploads

void Store::create_upload(const UploadRow& u) {
  db_.with([&](soci::session& s) {
    long long len = u.upload_length, t = u.created_at;
    s << "INSERT INTO video_uploads (id, user_id, upload_length, upload_offset, metadata, created_at, updated_at) "
         "VALUES (:id, :u, :l, 0, :m, :t, :t2)",
        use(u.id), use(u.user_id), use(len), use(u.metadata), use(t), use(t);
  });
}

std::optional<UploadRow> Store::upload(const std::string& id) {
  return db_.with([&](soci::session& s) -> std::optional<UploadRow> {
    UploadRow u;
    long long len = 0, off = 0, created = 0, updated = 0;
    s << "SELECT id, user_id, upload_length, upload_offset, metadata, video_id, created_at, updated_at FROM "
         "video_uploads WHERE id = :id",
        into(u.id), into(u.user_id), into(len), into(off), into(u.metadata), into(u.video_id), into(created),
        into(updated), use(id);
    if (!s.got_data()) return std::nullopt;
    u.upload_length = len;
    u.upload_offset = off;
    u.created_at = created;
    u.updated_at = updated;
    return u;
  });
}

bool Store::advance_upload(const std::string& id, std::int64_t from, std::int64_t to, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long f = from, t = to, n = now;
    soci::statement st = (s.prepare << "UPDATE video_uploads SET upload_offset = :t, updated_at = :n WHERE id = :id "
                                       "AND upload_offset = :f",
                          use(t), use(n), use(id), use(f));
    return db::execute_counting(st) > 0;
  });
}

void Store::set_upload_video(const std::string& id, const std::string& video_id, std::int64_t now) {
  db_.with([&](soci::session& s) {
    long long n = now;
    s << "UPDATE video_uploads SET video_id = :v, updated_at = :n WHERE id = :id", use(video_id), use(n), use(id);
  });
}

std::vector<std::string> Store::stale_uploads(std::int64_t before, int limit) {
  return db_.with([&](soci::session& s) {
    long long b = before;
    std::vector<std::string> out;
    std::string id;
    soci::statement st = (s.prepare << "SELECT id FROM video_uploads WHERE video_id IS NULL AND updated_at < :b "
                                       "ORDER BY updated_at LIMIT :l",
                          into(id), use(b), use(limit));
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
    soci::statement st = (s.prepare << "DELETE FROM video_uploads WHERE id = :id AND video_id IS NULL AND "
                                       "updated_at < :b",
                          use(id), use(b));
    return db::execute_counting(st) > 0;
  });
}

}  // namespace wp::videos
