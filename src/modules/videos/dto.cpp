#include "modules/videos/dto.hpp"

#include "core/clock.hpp"
#include "modules/videos/tags.hpp"

namespace wp::videos {

namespace json = boost::json;

namespace {

json::array tags_json(const std::string& text) {
  json::array out;
  for (auto& t : tags_of(text)) out.push_back(json::string(t));
  return out;
}

json::object metadata_of(const VideoRow& v) {
  boost::system::error_code ec;
  auto m = json::parse(v.metadata, ec);
  return !ec && m.is_object() ? m.as_object() : json::object{};
}

template <class T>
json::value or_null(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

json::object video_json(const VideoRow& v, bool manager) {
  bool external = v.source_type == SourceType::external;
  bool hls_external = external && v.mime_type == "application/vnd.apple.mpegurl";
  std::string base = "/api/videos/" + v.id + "/";
  json::value hls = nullptr;
  if (hls_external) hls = v.external_url;
  else if (!external && v.status == VideoStatus::ready) hls = base + "hls/master.m3u8";
  auto meta = metadata_of(v);
  json::object out{{"id", v.id},
                   {"title", v.title},
                   {"description", v.description},
                   {"category", v.category},
                   {"tags", tags_json(v.tags)},
                   {"uploader", json::object{{"id", v.uploaded_by_id}, {"username", v.uploader_username}}},
                   {"source_type", to_string(v.source_type)},
                   {"external_url", external ? json::value(v.external_url) : json::value(nullptr)},
                   {"status", to_string(v.status)},
                   {"processing_error", v.processing_error.empty() ? json::value(nullptr) : json::value(v.processing_error)},
                   {"is_public", v.is_public},
                   {"visibility", to_string(v.visibility)},
                   {"allow_download", v.allow_download},
                   {"duration", or_null(v.duration)},
                   {"width", or_null(v.width)},
                   {"height", or_null(v.height)},
                   {"file_size", v.file_size},
                   {"mime_type", v.mime_type},
                   {"original_filename", v.original_filename},
                   {"stream_url", external ? v.external_url : base + "stream/"},
                   {"hls_url", hls},
                   {"thumbnail_url", v.thumbnail.empty() ? json::value(nullptr) : json::value(base + "thumbnail/")},
                   {"download_url", external ? json::value(nullptr) : json::value(base + "download/")},
                   {"view_count", v.view_count},
                   {"like_count", v.like_count},
                   {"dislike_count", v.dislike_count},
                   {"comment_count", v.comment_count},
                   {"renditions", meta.contains("renditions") ? meta["renditions"] : json::array{}},
                   {"metadata", meta.contains("probe") ? meta["probe"] : json::object{}},
                   {"created_at", to_rfc3339(v.created_at)},
                   {"updated_at", to_rfc3339(v.updated_at)}};
  if (manager) out["download_count"] = v.download_count;
  return out;
}

json::object comment_json(const CommentRow& c) {
  return {{"id", c.id},
          {"video_id", c.video_id},
          {"parent_id", or_null(c.parent_id)},
          {"user", c.is_deleted ? json::value(nullptr)
                                : json::value(json::object{{"id", c.user_id}, {"username", c.username}})},
          {"content", c.is_deleted ? json::value(nullptr) : json::value(c.content)},
          {"is_deleted", c.is_deleted},
          {"is_edited", c.is_edited},
          {"likes_count", c.likes_count},
          {"reply_count", c.reply_count},
          {"created_at", to_rfc3339(c.created_at)},
          {"updated_at", to_rfc3339(c.updated_at)}};
}

json::object like_json(const LikeCounts& l) {
  return {{"success", true},
          {"is_like", or_null(l.is_like)},
          {"like_count", l.like_count},
          {"dislike_count", l.dislike_count}};
}

json::object watch_json(const WatchTimeRow& w) {
  return {{"video_id", w.video_id},
          {"party_id", or_null(w.party_id)},
          {"total_watch_time", w.total_watch_time},
          {"last_position", w.last_position},
          {"completion_percentage", w.completion_percentage},
          {"average_quality", w.average_quality},
          {"buffering_events", w.buffering_events},
          {"created_at", to_rfc3339(w.created_at)},
          {"updated_at", to_rfc3339(w.updated_at)}};
}

json::object processing_json(const ProcessingStatus& s) {
  auto& v = s.video;
  int progress = v.status == VideoStatus::ready ? 100 : s.job ? s.job->progress : 0;
  std::string error = v.processing_error;
  if (error.empty() && s.job) error = s.job->error;
  auto meta = metadata_of(v);
  json::object out{{"id", v.id},
                   {"status", to_string(v.status)},
                   {"progress", progress},
                   {"error", error.empty() ? json::value(nullptr) : json::value(error)},
                   {"renditions", meta.contains("renditions") ? meta["renditions"] : json::array{}},
                   {"job", nullptr}};
  if (s.job) {
    out["job"] = json::object{{"id", s.job->id},
                              {"status", to_string(s.job->status)},
                              {"attempts", s.job->attempts},
                              {"max_attempts", s.job->max_attempts},
                              {"progress", s.job->progress},
                              {"error", s.job->error.empty() ? json::value(nullptr) : json::value(s.job->error)},
                              {"next_attempt_at", to_rfc3339(s.job->next_attempt_at)}};
  }
  return out;
}

}  // namespace wp::videos
