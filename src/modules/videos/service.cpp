#include "modules/videos/service.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/filetype.hpp"
#include "core/ids.hpp"
#include "modules/videos/tags.hpp"
#include "core/strings.hpp"

namespace wp::videos {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

bool is_staff(Viewer v) { return v && (v->is_staff || v->is_superuser); }

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string extension_for(const std::string& mime) {
  static const std::map<std::string, std::string> known = {
      {"video/mp4", "mp4"},        {"video/quicktime", "mov"}, {"video/x-matroska", "mkv"}, {"video/webm", "webm"},
      {"video/x-msvideo", "avi"},  {"video/mp2t", "ts"},       {"video/MP2T", "ts"},        {"video/x-flv", "flv"},
      {"video/mpeg", "mpg"},       {"video/3gpp", "3gp"},      {"video/ogg", "ogv"},        {"video/x-m4v", "m4v"},
      {"video/3gpp2", "3g2"},      {"video/x-ms-asf", "asf"}};
  auto it = known.find(mime);
  return it == known.end() ? "video" : it->second;
}

void check_new_video_fields(NewVideo& in) {
  FieldErrors errors;
  if (in.title.size() > 200) errors["title"].push_back("Ensure this field has no more than 200 characters.");
  if (in.description.size() > 5000) errors["description"].push_back("Ensure this field has no more than 5000 characters.");
  if (in.category.size() > 50) errors["category"].push_back("Ensure this field has no more than 50 characters.");
  if (!errors.empty()) throw Error(ErrorCode::validation, "Invalid input.", errors);
  if (in.title.empty()) {
    auto stem = fs::path(in.original_filename).stem().string();
    in.title = stem.empty() ? "Untitled" : stem.substr(0, 200);
  }
}

json::object probe_json(const ProbeResult& p) {
  return {{"duration", p.duration},       {"width", p.width},         {"height", p.height},
          {"video_codec", p.video_codec}, {"audio_codec", p.audio_codec}, {"has_audio", p.has_audio},
          {"format", p.format_name},      {"size", p.size},           {"bit_rate", p.bit_rate},
          {"frame_rate", p.frame_rate}};
}

std::int64_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(n);
}

// Content checks: libmagic must see a video container and ffprobe a video stream.
ProbeResult accept_media(const MediaTools& tools, const std::string& path, std::string& mime) {
  mime = sniff_mime_type_of_file(path);
  if (mime.rfind("video/", 0) != 0 && mime != "application/octet-stream")
    throw Error(ErrorCode::unsupported_media, "The file is not a video (detected " + mime + ").");
  auto p = probe(tools, path);
  if (!p || !p->has_video) throw Error(ErrorCode::unsupported_media, "The file has no playable video stream.");
  // libmagic saw only bytes: the container ffprobe read names the type.
  if (mime == "application/octet-stream") mime = mime_type_of(*p);
  return *p;
}

void remove_tree(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) spdlog::warn("cannot remove {}: {}", dir, ec.message());
}

// Work files of attempts that were killed (lease taken over, SIGKILL); called
// once the job is over. An attempt that lost its lease may still be running
// then: it only ever writes its own files, and drops them when it notices.
void remove_leftovers(const std::string& video_dir) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(video_dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name.rfind("hls.tmp", 0) == 0 || name.rfind("thumbnail.tmp", 0) == 0) remove_tree(it->path().string());
  }
}

}  // namespace

VideosService::VideosService(Store& store, const Config& config)
    : store_(store),
      config_(config),
      viewer_check_([](const std::string&, const std::string&) { return false; }),
      party_member_check_([](const std::string&, const std::string&) { return false; }) {
  tools_.ffmpeg = config.ffmpeg_path;
  tools_.ffprobe = config.ffprobe_path;
  tools_.timeout = std::chrono::seconds(config.ffmpeg_timeout_s);
  tools_.preset = config.hls_preset;
}

void VideosService::set_viewer_check(std::function<bool(const std::string&, const std::string&)> check) {
  viewer_check_ = check ? std::move(check) : [](const std::string&, const std::string&) { return false; };
}

void VideosService::set_party_member_check(std::function<bool(const std::string&, const std::string&)> check) {
  party_member_check_ = check ? std::move(check) : [](const std::string&, const std::string&) { return false; };
}

std::string VideosService::abs(const std::string& relative) const { return config_.data_dir + "/" + relative; }
std::string VideosService::video_dir(const std::string& id) const { return config_.data_dir + "/videos/" + id; }

std::string VideosService::staging_path() const { return config_.data_dir + "/tmp/video-" + new_uuid() + ".part"; }

std::mutex& VideosService::upload_lock(const std::string& id) {
  return upload_locks_[std::hash<std::string>{}(id) % upload_locks_.size()];
}

// ---------------------------------------------------------------- access

bool VideosService::visible(Viewer viewer, const VideoRow& v) const {
  if (v.removed_at) return is_staff(viewer);  // removed by moderation (#19)
  if (v.is_public) return true;
  if (!viewer) return false;
  if (viewer->id == v.uploaded_by_id || is_staff(viewer) || viewer_check_(viewer->id, v.id)) return true;
  return v.visibility == VideoVisibility::friends && relations_ && relations_->are_friends(v.uploaded_by_id, viewer->id);
}

namespace {
// visibility wins over is_public; is_public alone means public or private.
void set_visibility(VideoRow& v, std::optional<bool> is_public, std::optional<VideoVisibility> visibility) {
  if (visibility)
    v.visibility = *visibility;
  else if (is_public)
    v.visibility = *is_public ? VideoVisibility::public_ : VideoVisibility::private_;
  v.is_public = v.visibility == VideoVisibility::public_;
}
}  // namespace

bool VideosService::can_manage(Viewer viewer, const VideoRow& v) const {
  return viewer && (viewer->id == v.uploaded_by_id || is_staff(viewer));
}

VideoRow VideosService::visible_video(Viewer viewer, const std::string& id) {
  auto v = store_.video(id);
  // A private video is not found for those who may not see it: no existence leak.
  if (!v || !visible(viewer, *v)) throw_not_found("Video not found.");
  return *v;
}

// ---------------------------------------------------------------- library

std::vector<VideoRow> VideosService::list(Viewer viewer, VideoFilter f, int limit, int offset, long long& count) {
  if (f.uploader && !is_uuid(*f.uploader)) throw_validation("uploader", "Must be a user id.");
  if (f.search && f.search->size() > 200) throw_validation("search", "Too long.");
  f.viewer_id = viewer ? std::optional(viewer->id) : std::nullopt;
  f.viewer_is_staff = is_staff(viewer);
  return store_.list_videos(f, limit, offset, count);
}

VideoRow VideosService::get(Viewer viewer, const std::string& id) { return visible_video(viewer, id); }

VideoRow VideosService::update(const Principal& user, const std::string& id, const VideoPatch& p) {
  auto v = visible_video(&user, id);
  if (!can_manage(&user, v)) throw_forbidden("Only the uploader or staff may change this video.");
  if (p.title) {
    if (p.title->empty()) throw_validation("title", "This field may not be blank.");
    screen(user.id, ContentType::video, *p.title, "title");
    v.title = *p.title;
  }
  if (p.description) v.description = *p.description;
  if (p.category) v.category = *p.category;
  if (p.tags) v.tags = *p.tags;
  set_visibility(v, p.is_public, p.visibility);
  if (p.allow_download) v.allow_download = *p.allow_download;
  v.updated_at = now_ms();
  store_.update_video(v);
  if (p.title) posted(user.id, ContentType::video, v.id, v.title);
  return *store_.video(id);
}

void VideosService::remove(const Principal& user, const std::string& id) {
  auto v = visible_video(&user, id);
  if (!can_manage(&user, v)) throw_forbidden("Only the uploader or staff may delete this video.");
  if (!store_.delete_video(id, now_ms())) throw_not_found("Video not found.");
  remove_tree(video_dir(id));
}

// ---------------------------------------------------------------- creating

VideoRow VideosService::create_uploaded(const Principal& user, NewVideo in, const std::string& staged_path) {
  check_new_video_fields(in);
  screen(user.id, ContentType::video, in.title, "title");
  auto size = file_size_or_zero(staged_path);
  if (size > config_.max_upload_bytes)
    throw Error(ErrorCode::payload_too_large, "The file exceeds " + std::to_string(config_.max_upload_bytes) + " bytes.");
  if (size == 0) throw Error(ErrorCode::unsupported_media, "The file is empty.");
  check_plan_upload(user, size);
  std::string mime;
  auto probe = accept_media(tools_, staged_path, mime);

  VideoRow v;
  v.id = new_uuid();
  v.uploaded_by_id = user.id;
  v.uploader_username = user.username;
  v.title = in.title;
  v.description = in.description;
  v.category = in.category;
  v.tags = in.tags;
  set_visibility(v, in.is_public, in.visibility);
  v.allow_download = in.allow_download;
  v.source_type = SourceType::upload;
  v.original_filename = fs::path(in.original_filename).filename().string().substr(0, 255);
  v.mime_type = mime;
  v.file_size = size;
  v.file_path = "videos/" + v.id + "/original." + extension_for(mime);
  v.duration = probe.duration > 0 ? std::optional(probe.duration) : std::nullopt;
  v.width = probe.width;
  v.height = probe.height;
  v.status = VideoStatus::processing;
  v.metadata = json::serialize(json::object{{"probe", probe_json(probe)}, {"renditions", json::array{}}});
  v.created_at = v.updated_at = now_ms();

  JobRow job;
  job.id = new_uuid();
  job.video_id = v.id;
  job.status = JobState::queued;
  job.max_attempts = config_.job_max_attempts;
  job.next_attempt_at = v.created_at;
  job.created_at = v.created_at;

  fs::create_directories(video_dir(v.id));
  fs::rename(staged_path, abs(v.file_path));
  try {
    store_.create_video(v, job);
    posted(user.id, ContentType::video, v.id, v.title);
  } catch (const Error&) {
    remove_tree(video_dir(v.id));
    throw;
  }
  return *store_.video(v.id);
}

VideoRow VideosService::create_external(const Principal& user, NewVideo in) {
  auto url = boost::urls::parse_uri(in.external_url);
  auto scheme = url ? lower(std::string(url->scheme())) : "";
  if (!url || (scheme != "http" && scheme != "https") || url->encoded_host().empty() || in.external_url.size() > 2000)
    throw_validation("external_url", "Enter a valid http(s) URL.");
  auto path = lower(std::string(url->path()));
  bool hls = path.ends_with(".m3u8");
  if (!hls && !path.ends_with(".mp4") && !path.ends_with(".m4v") && !path.ends_with(".webm") && !path.ends_with(".mov"))
    throw_validation("external_url", "Must point at an MP4/WebM file or an HLS playlist (.m3u8).");
  if (in.title.empty()) throw_validation("title", "This field is required.");
  check_new_video_fields(in);
  screen(user.id, ContentType::video, in.title, "title");
  VideoRow v;
  v.id = new_uuid();
  v.uploaded_by_id = user.id;
  v.title = in.title;
  v.description = in.description;
  v.category = in.category;
  v.tags = in.tags;
  set_visibility(v, in.is_public, in.visibility);
  v.allow_download = false;
  v.source_type = SourceType::external;
  v.external_url = in.external_url;
  v.mime_type = hls ? "application/vnd.apple.mpegurl" : path.ends_with(".webm") ? "video/webm" : "video/mp4";
  v.status = VideoStatus::ready;
  v.metadata = json::serialize(json::object{{"hls", hls}});
  v.created_at = v.updated_at = now_ms();
  store_.create_video(v, std::nullopt);
  posted(user.id, ContentType::video, v.id, v.title);
  publish_event(events_, {.type = "video.uploaded", .user_id = user.id, .video_id = v.id});
  return *store_.video(v.id);
}

// ---------------------------------------------------------------- files

ServedFile VideosService::original(Viewer viewer, const VideoRow& v) const {
  if (!visible(viewer, v)) throw_not_found("Video not found.");
  if (v.source_type != SourceType::upload || v.file_path.empty()) throw_not_found("This video has no local file.");
  return {abs(v.file_path), v.mime_type.empty() ? "application/octet-stream" : v.mime_type};
}

ServedFile VideosService::hls_file(Viewer viewer, const std::string& id, const std::string& name) {
  auto v = visible_video(viewer, id);
  // Only plain file names of our own outputs: no separators, no dot segments.
  bool plain = !name.empty() && name.size() <= 64 && name.front() != '.' &&
               std::all_of(name.begin(), name.end(), [](unsigned char c) {
                 return std::isalnum(c) || c == '_' || c == '-' || c == '.';
               }) && name.find("..") == std::string::npos;
  bool playlist = name.ends_with(".m3u8"), segment = name.ends_with(".ts");
  if (!plain || (!playlist && !segment) || v.source_type != SourceType::upload || v.status != VideoStatus::ready)
    throw_not_found("No such HLS file.");
  auto path = video_dir(id) + "/hls/" + name;
  if (!fs::is_regular_file(path)) throw_not_found("No such HLS file.");
  return {path, playlist ? "application/vnd.apple.mpegurl" : "video/mp2t"};
}

ServedFile VideosService::thumbnail(Viewer viewer, const std::string& id) {
  auto v = visible_video(viewer, id);
  if (v.thumbnail.empty() || !fs::is_regular_file(abs(v.thumbnail))) throw_not_found("No thumbnail yet.");
  return {abs(v.thumbnail), "image/jpeg"};
}

void VideosService::check_plan_upload(const Principal& user, std::int64_t bytes) {
  if (!plans_) return;
  auto limits = plans_->limits_of(user.id);
  if (limits.max_upload_bytes > 0 && bytes > limits.max_upload_bytes)
    throw_plan_limit(limits, "max_upload_bytes", "Your plan (" + limits.plan + ") takes uploads of up to " +
                                                     std::to_string(limits.max_upload_bytes) + " bytes.");
  // A downgrade deletes nothing: over the quota, only new uploads stop.
  if (limits.storage_quota_bytes > 0 && store_.bytes_of(user.id) + bytes > limits.storage_quota_bytes)
    throw_plan_limit(limits, "storage_quota_bytes", "Your plan (" + limits.plan + ") stores up to " +
                                                        std::to_string(limits.storage_quota_bytes) + " bytes of uploads.");
}

ServedFile VideosService::download(Viewer viewer, const VideoRow& v, const ClientInfo& client) {
  auto file = original(viewer, v);
  if (!v.allow_download && !can_manage(viewer, v)) throw_forbidden("Downloads of this video are not allowed.");
  if (!can_manage(viewer, v)) {
    auto limits = limits_of(plans_, viewer ? viewer->id : std::string());
    if (!limits.downloads) throw_plan_limit(limits, "downloads", "Your plan (" + limits.plan + ") has no downloads.");
  }
  store_.record_download(new_uuid(), v.id, viewer ? std::optional(viewer->id) : std::nullopt, client.ip,
                         utf8_prefix(client.user_agent, 500), now_ms());
  return file;
}

std::string VideosService::download_filename(const VideoRow& v) const {
  std::string name;
  for (unsigned char c : v.title) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ' ')
      name.push_back(static_cast<char>(c));
    else if (!name.empty() && name.back() != '_')
      name.push_back('_');
  }
  while (!name.empty() && (name.front() == '.' || name.front() == ' ')) name.erase(0, 1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '_' || name.back() == '.')) name.pop_back();
  if (name.empty()) name = "video";
  if (name.size() > 100) name.resize(100);
  auto ext = fs::path(v.file_path).extension().string();
  return name + ext;
}

// ---------------------------------------------------------------- engagement

LikeCounts VideosService::react(const Principal& user, const std::string& id, bool is_like) {
  auto v = visible_video(&user, id);
  auto counts = store_.react(v.id, user.id, is_like, new_uuid(), now_ms());
  if (counts.is_like.value_or(false)) {  // a like made, not one taken back
    notify_like(user, v);
    publish_event(events_, {.type = "video.liked", .user_id = user.id, .video_id = v.id});
  }
  return counts;
}

MyReactions VideosService::my_reactions(const Principal& user, const std::string& id) {
  auto v = visible_video(&user, id);
  return store_.reactions_of(v.id, user.id);
}

std::pair<bool, std::int64_t> VideosService::count_view(Viewer viewer, const VideoRow& v, const ClientInfo& client) {
  std::string key = viewer ? "u:" + viewer->id : "a:" + crypto::sha256_hex(client.ip + "\n" + client.user_agent);
  auto counted = store_.count_view(v.id, key, viewer ? std::optional(viewer->id) : std::nullopt, client.ip, new_uuid(),
                                   now_ms(), std::int64_t{config_.view_window_s} * 1000);
  if (counted.first) publish_event(events_, {.type = "video.viewed", .user_id = viewer ? viewer->id : "", .video_id = v.id});
  return counted;
}

WatchTimeRow VideosService::record_watch_time(const std::string& user_id, const std::string& video_id,
                                              const WatchInput& in) {
  auto v = store_.video(video_id);
  if (!v) throw_not_found("Video not found.");
  WatchTimeRow d;
  d.id = new_uuid();
  d.user_id = user_id;
  d.video_id = video_id;
  d.party_id = in.party_id;
  d.total_watch_time = in.duration_watched;
  d.last_position = in.position;
  d.average_quality = in.quality;
  d.buffering_events = in.buffering_events;
  d.created_at = d.updated_at = now_ms();
  auto row = store_.record_watch(d, v->duration);
  if (in.duration_watched > 0)
    publish_event(events_, {.type = "watch.progress", .user_id = user_id, .video_id = video_id,
                            .party_id = in.party_id.value_or(""), .amount = in.duration_watched});
  return row;
}

WatchTimeRow VideosService::progress(const Principal& user, const std::string& id, const WatchInput& in) {
  auto v = visible_video(&user, id);
  if (in.party_id && !party_member_check_(user.id, *in.party_id))
    throw_validation("party_id", "Not a party you belong to.");
  return record_watch_time(user.id, v.id, in);
}

std::vector<WatchTimeRow> VideosService::my_watch_time(const Principal& user, int limit, int offset, long long& count) {
  return store_.watch_times_of(user.id, limit, offset, count);
}

// ---- mobile (#21)
bool VideosService::advance_position(const Principal& user, const std::string& id, double position) {
  auto v = visible_video(&user, id);
  WatchTimeRow d;
  d.id = new_uuid();
  d.user_id = user.id;
  d.video_id = v.id;
  d.last_position = position;
  d.created_at = d.updated_at = now_ms();
  return store_.advance_watch(d, v.duration);
}

std::optional<WatchTimeRow> VideosService::watch_time_outside_parties(const std::string& user_id,
                                                                      const std::string& video_id) {
  return store_.solo_watch_time(user_id, video_id);
}

std::vector<WatchTimeRow> VideosService::watch_times_outside_parties(const std::string& user_id) {
  return store_.solo_watch_times(user_id);
}
// ---- end mobile

// ---------------------------------------------------------------- comments

CommentRow VideosService::comment_of(const std::string& video_id, const std::string& comment_id) {
  auto c = store_.comment(comment_id);
  if (!c || c->video_id != video_id) throw_not_found("Comment not found.");
  return *c;
}

std::vector<CommentRow> VideosService::comments(Viewer viewer, const std::string& video_id, int limit, int offset,
                                                long long& count) {
  auto v = visible_video(viewer, video_id);
  return store_.comments(v.id, std::nullopt, true, limit, offset, count);
}

std::vector<CommentRow> VideosService::replies(Viewer viewer, const std::string& video_id,
                                               const std::string& comment_id, int limit, int offset, long long& count) {
  auto v = visible_video(viewer, video_id);
  auto c = comment_of(v.id, comment_id);
  return store_.comments(v.id, c.id, false, limit, offset, count);
}

CommentRow VideosService::add_comment(const Principal& user, const std::string& video_id,
                                      const std::string& content, const std::optional<std::string>& parent_id) {
  auto v = visible_video(&user, video_id);
  if (parent_id) {
    auto parent = store_.comment(*parent_id);
    if (!parent || parent->video_id != v.id) throw_validation("parent_id", "No such comment on this video.");
    if (parent->is_deleted) throw_validation("parent_id", "Cannot reply to a deleted comment.");
  }
  CommentRow c;
  c.id = new_uuid();
  c.video_id = v.id;
  c.user_id = user.id;
  c.parent_id = parent_id;
  c.content = content;
  c.created_at = c.updated_at = now_ms();
  screen(user.id, ContentType::video_comment, content, "content");
  store_.add_comment(c);
  posted(user.id, ContentType::video_comment, c.id, content);
  auto added = *store_.comment(c.id);
  notify_comment(user, v, added);
  publish_event(events_, {.type = "comment.created", .user_id = user.id, .video_id = v.id});
  return added;
}

CommentRow VideosService::edit_comment(const Principal& user, const std::string& video_id,
                                       const std::string& comment_id, const std::string& content) {
  auto v = visible_video(&user, video_id);
  auto c = comment_of(v.id, comment_id);
  if (c.is_deleted) throw_not_found("Comment not found.");
  if (c.user_id != user.id) throw_forbidden("Only the author may edit a comment.");
  screen(user.id, ContentType::video_comment, content, "content");
  store_.edit_comment(c.id, content, now_ms());
  posted(user.id, ContentType::video_comment, c.id, content);
  return *store_.comment(c.id);
}

void VideosService::delete_comment(const Principal& user, const std::string& video_id,
                                   const std::string& comment_id) {
  auto v = visible_video(&user, video_id);
  auto c = comment_of(v.id, comment_id);
  if (c.is_deleted) throw_not_found("Comment not found.");
  if (c.user_id != user.id && !can_manage(&user, v))
    throw_forbidden("Only the author, the video's uploader or staff may delete a comment.");
  store_.delete_comment(c.id, now_ms());
}

CommentLikeResult VideosService::like_comment(const Principal& user, const std::string& video_id,
                                              const std::string& comment_id) {
  auto v = visible_video(&user, video_id);
  auto c = comment_of(v.id, comment_id);
  if (c.is_deleted) throw_not_found("Comment not found.");
  return store_.toggle_comment_like(c.id, user.id, new_uuid(), now_ms());
}

ProcessingStatus VideosService::processing_status(Viewer viewer, const std::string& id) {
  auto v = visible_video(viewer, id);
  return {v, store_.latest_job(v.id)};
}

std::optional<VideoSummary> VideosService::video_for_party(const std::string& video_id, const Principal& user) {
  auto v = store_.video(video_id);
  if (!v || !visible(&user, *v)) return std::nullopt;
  VideoSummary s;
  s.id = v->id;
  s.title = v->title;
  s.duration = v->duration;
  s.status = v->status;
  if (v->source_type == SourceType::external) {
    s.stream_url = v->external_url;
    if (v->mime_type == "application/vnd.apple.mpegurl") s.hls_url = v->external_url;
  } else {
    s.stream_url = "/api/videos/" + v->id + "/stream/";
    if (v->status == VideoStatus::ready) s.hls_url = "/api/videos/" + v->id + "/hls/master.m3u8";
  }
  return s;
}

// ---------------------------------------------------------------- tus

UploadRow VideosService::tus_create(const Principal& user, std::int64_t length,
                                    const std::map<std::string, std::string>& meta) {
  if (length <= 0) throw_validation("Upload-Length", "Must be a positive integer.");
  if (length > config_.max_upload_bytes)
    throw Error(ErrorCode::payload_too_large, "Upload-Length exceeds " + std::to_string(config_.max_upload_bytes) + " bytes.");
  check_plan_upload(user, length);
  json::object m;
  for (auto& [k, v] : meta) m[k] = v;
  NewVideo probe_fields;
  probe_fields.title = meta.count("title") ? meta.at("title") : "";
  probe_fields.description = meta.count("description") ? meta.at("description") : "";
  probe_fields.category = meta.count("category") ? meta.at("category") : "";
  probe_fields.tags = tags_text_from_csv(meta.count("tags") ? meta.at("tags") : "");
  check_new_video_fields(probe_fields);
  UploadRow u;
  u.id = new_uuid();
  u.user_id = user.id;
  u.upload_length = length;
  u.metadata = json::serialize(m);
  u.created_at = u.updated_at = now_ms();
  fs::create_directories(config_.data_dir + "/uploads");
  { std::ofstream(config_.data_dir + "/uploads/" + u.id + ".part", std::ios::binary | std::ios::trunc); }
  store_.create_upload(u);
  return u;
}

UploadRow VideosService::tus_state(const Principal& user, const std::string& id) {
  auto u = store_.upload(id);
  if (!u || u->user_id != user.id) throw_not_found("Upload not found.");
  return *u;
}

UploadRow VideosService::tus_append(const Principal& user, const std::string& id, std::int64_t offset,
                                    const std::string& chunk_path) {
  std::lock_guard lock(upload_lock(id));
  auto u = tus_state(user, id);
  if (u.video_id || u.upload_offset == u.upload_length) throw_conflict("This upload is already complete.");
  if (offset != u.upload_offset)
    throw_conflict("Upload-Offset " + std::to_string(offset) + " does not match the current offset " +
                   std::to_string(u.upload_offset) + ".");
  auto chunk = file_size_or_zero(chunk_path);
  if (u.upload_offset + chunk > u.upload_length)
    throw Error(ErrorCode::payload_too_large, "The chunk goes past Upload-Length.");
  auto part = config_.data_dir + "/uploads/" + u.id + ".part";
  // Whatever a cut request left past the offset is dropped before appending.
  std::error_code ec;
  fs::resize_file(part, static_cast<std::uintmax_t>(u.upload_offset), ec);
  if (ec) throw Error(ErrorCode::internal, "cannot truncate " + part + ": " + ec.message());
  {
    std::ifstream in(chunk_path, std::ios::binary);
    std::ofstream out(part, std::ios::binary | std::ios::app);
    std::vector<char> buf(64 * 1024);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      if (in.gcount() > 0) out.write(buf.data(), in.gcount());
    }
    out.flush();
    if (!out) throw Error(ErrorCode::internal, "cannot append to " + part);
  }
  const auto from = u.upload_offset, next = from + chunk;
  if (!store_.advance_upload(u.id, from, next, now_ms())) throw_conflict("The upload moved on concurrently.");
  u.upload_offset = next;
  if (next == u.upload_length) {
    auto meta = json::parse(u.metadata).as_object();
    auto field = [&](const char* k) {
      auto p = meta.if_contains(k);
      return p && p->is_string() ? std::string(p->as_string()) : std::string();
    };
    auto flag = [&](const char* k, bool dflt) {
      auto s = lower(field(k));
      if (s.empty()) return dflt;
      return s == "1" || s == "true" || s == "yes";
    };
    NewVideo in;
    in.title = field("title");
    in.description = field("description");
    in.category = field("category");
    in.tags = tags_text_from_csv(field("tags"));
    in.is_public = flag("is_public", true);
    in.allow_download = flag("allow_download", false);
    in.original_filename = field("filename");
    try {
      auto v = create_uploaded(user, in, part);
      store_.set_upload_video(u.id, v.id, now_ms());
      u.video_id = v.id;
    } catch (const Error&) {
      // A refused PATCH must not advance the offset: the last chunk is
      // dropped again, so the client can resume where it was (#24).
      store_.advance_upload(u.id, next, from, now_ms());
      fs::resize_file(part, static_cast<std::uintmax_t>(from), ec);
      throw;
    }
  }
  return u;
}

int VideosService::expire_uploads() {
  auto before = now_ms() - std::int64_t{config_.upload_expiry_s} * 1000;
  int n = 0;
  for (auto& id : store_.stale_uploads(before, 100)) {
    std::lock_guard lock(upload_lock(id));
    if (!store_.delete_stale_upload(id, before)) continue;
    std::error_code ec;
    fs::remove(config_.data_dir + "/uploads/" + id + ".part", ec);
    ++n;
  }
  if (n > 0) spdlog::info("expired {} unfinished upload(s)", n);
  return n;
}

// ---------------------------------------------------------------- processing

std::optional<JobRow> VideosService::claim_job(const std::string& worker_id) {
  return store_.claim_job(worker_id, now_ms(), std::int64_t{config_.job_lease_s} * 1000);
}

void VideosService::run_job(const JobRow& job, const std::string& worker_id, const std::function<bool()>& stopping) {
  std::atomic<bool> lost{false};
  // The lease is renewed on a timer, whatever ffmpeg reports: a slow step can
  // go longer than the lease without a change of progress, and another worker
  // would then take the job over. Progress changes are stored sooner.
  const auto renew_every = std::chrono::milliseconds(std::max(200, config_.job_lease_s * 1000 / 3));
  auto last_beat = std::chrono::steady_clock::now();
  int progress = 0, stored_progress = 0;
  auto beat = [&](bool force) {
    auto now = std::chrono::steady_clock::now();
    bool due = now - last_beat >= renew_every ||
               (progress != stored_progress && now - last_beat >= std::chrono::milliseconds(500));
    if (lost || (!force && !due)) return;
    last_beat = now;
    try {
      if (!store_.heartbeat(job.id, worker_id, progress, now_ms())) lost = true;
      stored_progress = progress;
    } catch (const std::exception& e) {
      // Called from the child-process poll, which must not throw: the next beat tries again.
      spdlog::warn("job {}: heartbeat failed: {}", job.id, e.what());
    }
  };
  auto stop = [&] {
    beat(false);
    return lost.load() || stopping();
  };
  auto step = [&](int p) {
    progress = p;
    beat(true);
  };

  auto v = store_.video(job.video_id);
  if (!v) {
    store_.fail_job(job.id, worker_id, job.video_id, "video no longer exists", std::nullopt, now_ms());
    return;
  }
  auto dir = video_dir(v->id);
  // Each attempt writes its own files: a worker that lost the job to another
  // never touches the new owner's outputs.
  auto attempt = job.id + "." + std::to_string(job.attempts);
  auto work = dir + "/hls.tmp." + attempt;
  auto thumb = dir + "/thumbnail.tmp." + attempt + ".jpg";
  auto drop_outputs = [&] {
    remove_tree(work);
    std::error_code ec;
    fs::remove(thumb, ec);
  };
  auto attempt_failed = [&](const std::string& reason) {
    drop_outputs();
    // A step may fail because the video was deleted under it: is the job still ours?
    if (!lost && !store_.heartbeat(job.id, worker_id, progress, now_ms())) lost = true;
    if (stopping() && !lost) {
      spdlog::info("job {} released at shutdown", job.id);
      store_.release_job(job.id, worker_id, now_ms());
      return;
    }
    if (lost) {
      spdlog::warn("job {} abandoned: cancelled or taken over", job.id);
      if (!store_.video(v->id)) remove_tree(dir);
      return;
    }
    std::optional<std::int64_t> retry_at;
    if (job.attempts < job.max_attempts)
      retry_at = now_ms() + std::int64_t{config_.job_retry_base_s} * 1000 * (std::int64_t{1} << std::min(job.attempts - 1, 20));
    spdlog::warn("job {} (video {}) attempt {} failed{}: {}", job.id, v->id, job.attempts,
                 retry_at ? ", will retry" : " for good", reason);
    store_.fail_job(job.id, worker_id, v->id, reason, retry_at, now_ms());
    if (!retry_at) remove_leftovers(dir);
  };
  try {
    spdlog::info("job {} (video {}) attempt {} started by {}", job.id, v->id, job.attempts, worker_id);
    auto src = abs(v->file_path);
    auto p = probe(tools_, src, stop);
    if (!p || !p->has_video) throw MediaError("ffprobe found no video stream in the original");
    step(2);
    remove_tree(work);
    fs::create_directories(work);
    make_thumbnail(tools_, src, *p, thumb, stop);
    step(5);
    auto ladder = choose_ladder(p->width, p->height, p->has_audio);
    // Billing (#18): without hd_renditions in the uploader's plan, nothing above 480p (the lowest stays).
    if (plans_ && !ladder.empty() && !plans_->limits_of(v->uploaded_by_id).hd_renditions) {
      int lowest = ladder.front().height;
      std::erase_if(ladder, [lowest](const Rendition& r) { return r.height > 480 && r.height != lowest; });
    }
    for (std::size_t i = 0; i < ladder.size(); ++i) {
      make_rendition(tools_, src, *p, ladder[i], work, stop, [&](double f) {
        progress = 5 + static_cast<int>(90.0 * (static_cast<double>(i) + f) / static_cast<double>(ladder.size()));
      });
      if (stop()) throw MediaError("stopped");
    }
    {
      std::ofstream m(work + "/master.m3u8", std::ios::trunc);
      m << master_playlist(ladder);
      if (!m) throw MediaError("cannot write master.m3u8");
    }
    // A fresh lease first: the outputs replace the published ones only while the job is ours.
    progress = 95;
    if (lost || !store_.heartbeat(job.id, worker_id, progress, now_ms())) {
      lost = true;
      throw MediaError("the job is no longer ours");
    }
    remove_tree(dir + "/hls");
    fs::rename(work, dir + "/hls");
    fs::rename(thumb, dir + "/thumbnail.jpg");

    json::array renditions;
    for (auto& r : ladder)
      renditions.push_back(json::object{{"name", r.name},
                                        {"width", r.width},
                                        {"height", r.height},
                                        {"bandwidth", r.bandwidth()},
                                        {"codecs", r.codecs},
                                        {"playlist", "/api/videos/" + v->id + "/hls/" + r.name + ".m3u8"}});
    VideoRow done = *v;
    done.duration = p->duration > 0 ? std::optional(p->duration) : v->duration;
    done.width = p->width;
    done.height = p->height;
    done.file_size = file_size_or_zero(src);
    done.thumbnail = "videos/" + v->id + "/thumbnail.jpg";
    done.metadata = json::serialize(json::object{{"probe", probe_json(*p)}, {"renditions", std::move(renditions)}});
    if (!store_.finish_job(job.id, worker_id, done, now_ms())) {
      spdlog::warn("job {} finished but is no longer ours (cancelled or taken over)", job.id);
      if (!store_.video(v->id)) remove_tree(dir);
      return;
    }
    remove_leftovers(dir);
    publish_event(events_, {.type = "video.uploaded", .user_id = v->uploaded_by_id, .video_id = v->id});
    spdlog::info("job {} (video {}) succeeded: {} renditions", job.id, v->id, ladder.size());
  } catch (const MediaError& e) {
    attempt_failed(e.what());
  } catch (const fs::filesystem_error& e) {
    attempt_failed(std::string("file error: ") + e.what());
  }
}

}  // namespace wp::videos
