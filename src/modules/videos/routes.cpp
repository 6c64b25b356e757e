#include "modules/videos/routes.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <filesystem>
#include <fstream>

#include "core/crypto.hpp"
#include "core/fields.hpp"
#include "core/strings.hpp"
#include "http/cors.hpp"
#include "http/file_response.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/multipart_file.hpp"
#include "http/pagination.hpp"
#include "core/ids.hpp"
#include "modules/videos/dto.hpp"
#include "modules/videos/tags.hpp"
#include "modules/videos/tus_metadata.hpp"
#include "http/user_agent.hpp"

namespace wp::videos {

namespace json = boost::json;
namespace fs = std::filesystem;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr const char* kTusVersion = "1.0.0";

Viewer viewer_of(const Request& req) { return req.user ? &*req.user : nullptr; }
ClientInfo client_of(const Request& req) { return {req.remote_ip, http::user_agent(req)}; }

// Removes a staged file on every way out unless it was moved away.
std::optional<std::int64_t> parse_int_text(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_json(const Request& req) {
  auto ct = req.header("Content-Type").value_or("");
  return ct.rfind("application/json", 0) == 0;
}

// ---------------------------------------------------------------- file answers

// Sends a file with validators and conditional GET; with_ranges adds byte ranges (206/416).
Response file_response(const Request& req, const ServedFile& f, bool with_ranges, const char* cache_control) {
  Response res;
  res.content_type = f.content_type;
  res.set_header("Cache-Control", cache_control);
  res.set_header("X-Content-Type-Options", "nosniff");
  return http::serve_file(req, f.path, std::move(res), with_ranges ? http::Ranges::accepted : http::Ranges::refused);
}

// ---------------------------------------------------------------- library

Response list_videos(VideosService& svc, Request& req) {
  auto page = http::parse_page(req);
  VideoFilter f;
  f.category = req.query("category");
  if (auto t = req.query("tag"); t && !t->empty()) {
    f.tag = normalize_tag(*t);
    if (f.tag->empty()) throw_validation("tag", "A tag is 1 to 30 characters: letters, digits and hyphens.");
  }
  f.uploader = req.query("uploader");
  if (auto s = req.query("status")) f.status = require_enum<VideoStatus>("status", *s);
  f.search = req.query("search");
  if (auto p = req.query("is_public")) {
    f.is_public = parse_bool_text(*p);
    if (!f.is_public) throw_validation("is_public", "Must be true or false.");
  }
  if (auto o = req.query("ordering")) f.ordering = require_enum<VideoOrder>("ordering", *o);
  long long count = 0;
  json::array out;
  auto viewer = viewer_of(req);
  for (auto& v : svc.list(viewer, f, page.size, page.offset(), count)) out.push_back(video_json(v, svc.can_manage(viewer, v)));
  return http::paginated(req, page, count, std::move(out));
}

// An optional `visibility`: an unknown value is a field error listing the allowed ones.
std::optional<VideoVisibility> visibility_field(Fields& f) {
  auto text = f.optional_string("visibility", 16);
  if (!text) return std::nullopt;
  if (auto v = parse_enum<VideoVisibility>(*text)) return v;
  f.add_error("visibility", "Must be one of " + enum_choices<VideoVisibility>() + ".");
  return std::nullopt;
}

// "tags": a list of strings; absent: nullopt.
std::optional<std::string> tags_field(const json::object& body, Fields& f) {
  auto* v = body.if_contains("tags");
  if (!v || v->is_null()) return std::nullopt;
  std::vector<std::string> tags;
  if (v->is_array())
    for (auto& t : v->as_array())
      if (t.is_string()) tags.emplace_back(t.as_string());
  if (!v->is_array() || tags.size() != v->as_array().size()) {
    f.add_error("tags", "Must be a list of strings.");
    return std::nullopt;
  }
  try {
    return tags_text(tags);
  } catch (const Error& e) {
    f.add_error("tags", e.what());
    return std::nullopt;
  }
}

NewVideo new_video_from_json(const json::object& body) {
  Fields f(body);
  NewVideo in;
  in.tags = tags_field(body, f).value_or("");
  in.external_url = f.required_string("external_url", 1, 2000);
  in.title = f.required_string("title", 1, 200);
  in.description = f.optional_string("description", 5000).value_or("");
  in.category = f.optional_string("category", 50).value_or("");
  in.is_public = f.optional_bool("is_public").value_or(true);
  in.visibility = visibility_field(f);
  f.done();
  return in;
}

Response create_video(VideosService& svc, Request& req) {
  auto& user = req.current_user();
  if (is_json(req)) {
    std::error_code ec;
    auto size = fs::file_size(req.body_file, ec);
    if (ec || size > 1024 * 1024) throw Error(ErrorCode::payload_too_large, "JSON body too large.");
    std::ifstream in(req.body_file, std::ios::binary);
    req.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    auto v = svc.create_external(user, new_video_from_json(http::parse_object_body(req)));
    return http::json_response(video_json(v, true), 201);
  }
  http::StagedFile staged{svc.staging_path()};
  http::SpoolLimits limits;
  limits.max_file_bytes = static_cast<std::uint64_t>(svc.max_upload_bytes());
  auto form = http::read_multipart_file(req.body_file, req.header("Content-Type").value_or(""), "file", staged.path, limits);
  if (!form.file) throw_validation("file", "This field is required.");
  NewVideo in;
  FieldErrors errors;
  auto text = [&](const char* name) { return form.fields.count(name) ? form.fields[name] : std::string(); };
  in.title = text("title");
  in.description = text("description");
  in.category = text("category");
  in.tags = tags_text_from_csv(text("tags"));
  in.original_filename = form.file->filename;
  for (auto [name, target] : {std::pair{"is_public", &in.is_public}, std::pair{"allow_download", &in.allow_download}}) {
    if (!form.fields.count(name)) continue;
    auto b = parse_bool_text(form.fields[name]);
    if (!b) errors[name].push_back("Must be true or false.");
    else *target = *b;
  }
  if (form.fields.count("visibility")) {
    in.visibility = parse_enum<VideoVisibility>(form.fields["visibility"]);
    if (!in.visibility) errors["visibility"].push_back("Must be one of " + enum_choices<VideoVisibility>() + ".");
  }
  if (!errors.empty()) throw Error(ErrorCode::validation, "Invalid input.", errors);
  auto v = svc.create_uploaded(user, in, staged.path);
  return http::json_response(video_json(v, true), 201);
}

Response get_video(VideosService& svc, Request& req) {
  auto viewer = viewer_of(req);
  auto v = svc.get(viewer, req.param("id"));
  return http::json_response(video_json(v, svc.can_manage(viewer, v)));
}

Response patch_video(VideosService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  VideoPatch p;
  p.title = f.optional_string("title", 200);
  p.description = f.optional_string("description", 5000);
  p.category = f.optional_string("category", 50);
  p.tags = tags_field(body, f);
  p.is_public = f.optional_bool("is_public");
  p.visibility = visibility_field(f);
  p.allow_download = f.optional_bool("allow_download");
  f.done();
  return http::json_response(video_json(svc.update(req.current_user(), req.param("id"), p), true));
}

Response delete_video(VideosService& svc, Request& req) {
  svc.remove(req.current_user(), req.param("id"));
  Response res;
  res.status = 204;
  res.content_type.clear();
  return res;
}

// ---------------------------------------------------------------- playback

Response stream_video(VideosService& svc, Request& req) {
  auto viewer = viewer_of(req);
  auto v = svc.get(viewer, req.param("id"));
  if (v.source_type == SourceType::external) {
    Response res;
    res.status = 302;
    res.set_header("Location", v.external_url);
    res.body = json::serialize(json::object{{"redirect", v.external_url}});
    return res;
  }
  auto res = file_response(req, svc.original(viewer, v), true, v.is_public ? "public, max-age=3600" : "private, max-age=3600");
  // A view is a GET of the start of the file; later ranges of the same playback are not views.
  bool starts = res.status == 200 || (res.status == 206 && res.file && res.file->offset == 0);
  if (req.method == "GET" && starts) {
    try {
      svc.count_view(viewer, v, client_of(req));
    } catch (const Error& e) {
      spdlog::warn("view of {} not counted: {}", v.id, e.what());
    }
  }
  return res;
}

Response hls_file(VideosService& svc, Request& req) {
  auto viewer = viewer_of(req);
  auto f = svc.hls_file(viewer, req.param("id"), req.param("file"));
  bool playlist = f.content_type != "video/mp2t";
  return file_response(req, f, !playlist, playlist ? "private, max-age=60" : "private, max-age=86400");
}

Response thumbnail(VideosService& svc, Request& req) {
  return file_response(req, svc.thumbnail(viewer_of(req), req.param("id")), false, "private, max-age=3600");
}

Response download(VideosService& svc, Request& req) {
  auto viewer = viewer_of(req);
  auto v = svc.get(viewer, req.param("id"));
  auto f = svc.download(viewer, v, client_of(req));
  Response res = file_response(req, f, false, "private, no-cache");
  auto name = svc.download_filename(v);
  std::string encoded;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      encoded.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      encoded += buf;
    }
  }
  res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"; filename*=UTF-8''" + encoded);
  return res;
}

Response processing_status(VideosService& svc, Request& req) {
  return http::json_response(processing_json(svc.processing_status(viewer_of(req), req.param("id"))));
}

// ---------------------------------------------------------------- engagement

Response like_video(VideosService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto is_like = f.required_bool("is_like");
  f.done();
  return http::json_response(like_json(svc.react(req.current_user(), req.param("id"), *is_like)));
}

Response my_reactions(VideosService& svc, Request& req) {
  auto r = svc.my_reactions(req.current_user(), req.param("id"));
  json::array liked;
  for (auto& id : r.liked_comment_ids) liked.emplace_back(id);
  return http::json_response(json::object{{"is_like", r.is_like ? json::value(*r.is_like) : json::value(nullptr)},
                                          {"liked_comment_ids", std::move(liked)}});
}

Response view_video(VideosService& svc, Request& req) {
  auto viewer = viewer_of(req);
  auto v = svc.get(viewer, req.param("id"));
  auto [counted, views] = svc.count_view(viewer, v, client_of(req));
  return http::json_response(json::object{{"success", true}, {"counted", counted}, {"view_count", views}});
}

Response progress(VideosService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  WatchInput in;
  auto position = f.required_number("position", 0, 1e7);
  in.duration_watched = f.optional_int("duration_watched", 0, 86400).value_or(0);
  in.buffering_events = f.optional_int("buffering_events", 0, 100000).value_or(0);
  in.quality = f.optional_string("quality", 16).value_or("");
  in.party_id = f.optional_string("party_id", 36);
  if (in.party_id && !is_uuid(*in.party_id)) f.add_error("party_id", "Must be a party id.");
  f.done();
  if (in.party_id)
    for (auto& c : *in.party_id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  in.position = *position;
  return http::json_response(watch_json(svc.progress(req.current_user(), req.param("id"), in)));
}

Response my_watch_time(VideosService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& w : svc.my_watch_time(req.current_user(), page.size, page.offset(), count)) out.push_back(watch_json(w));
  return http::paginated(req, page, count, std::move(out));
}

// ---------------------------------------------------------------- comments

Response list_comments(VideosService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& c : svc.comments(viewer_of(req), req.param("id"), page.size, page.offset(), count))
    out.push_back(comment_json(c));
  return http::paginated(req, page, count, std::move(out));
}

Response list_replies(VideosService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& c : svc.replies(viewer_of(req), req.param("id"), req.param("comment_id"), page.size, page.offset(), count))
    out.push_back(comment_json(c));
  return http::paginated(req, page, count, std::move(out));
}

Response add_comment(VideosService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto content = f.required_string("content", 1, 5000);
  auto parent = f.optional_string("parent_id", 36);
  if (parent && !is_uuid(*parent)) f.add_error("parent_id", "Must be a comment id.");
  f.done();
  if (parent)
    for (auto& c : *parent) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return http::json_response(comment_json(svc.add_comment(req.current_user(), req.param("id"), content, parent)), 201);
}

Response edit_comment(VideosService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto content = f.required_string("content", 1, 5000);
  f.done();
  return http::json_response(
      comment_json(svc.edit_comment(req.current_user(), req.param("id"), req.param("comment_id"), content)));
}

Response delete_comment(VideosService& svc, Request& req) {
  svc.delete_comment(req.current_user(), req.param("id"), req.param("comment_id"));
  Response res;
  res.status = 204;
  res.content_type.clear();
  return res;
}

Response like_comment(VideosService& svc, Request& req) {
  auto r = svc.like_comment(req.current_user(), req.param("id"), req.param("comment_id"));
  return http::json_response(json::object{{"success", true}, {"liked", r.liked}, {"likes_count", r.likes_count}});
}

// ---------------------------------------------------------------- tus 1.0

void tus_headers(Response& res) { res.set_header("Tus-Resumable", kTusVersion); }

// Every tus answer, errors included, carries Tus-Resumable.
http::Handler tus(VideosService& svc, Response (*fn)(VideosService&, Request&)) {
  return [&svc, fn](Request& req) {
    Response res;
    try {
      if (req.method != "OPTIONS" && req.header("Tus-Resumable").value_or("") != kTusVersion) {
        res = http::error_response(Error(ErrorCode::validation, "Tus-Resumable: 1.0.0 is required."), req.request_id);
        res.status = 412;  // Precondition Failed, as tus prescribes
        res.set_header("Tus-Version", kTusVersion);
      } else {
        res = fn(svc, req);
      }
    } catch (const Error& e) {
      if (e.code() == ErrorCode::internal) throw;  // the dispatcher logs it and hides the details
      res = http::error_response(e, req.request_id);
    }
    tus_headers(res);
    return res;
  };
}

Response tus_options(VideosService& svc, const Config& config, Request& req) {
  Response res = http::is_preflight(req) ? http::preflight_response(req, {"POST", "HEAD", "PATCH", "OPTIONS"}, config.cors_origins)
                                         : Response{};
  if (res.status == 200) res.status = 204;
  res.content_type.clear();
  res.set_header("Tus-Resumable", kTusVersion);
  res.set_header("Tus-Version", kTusVersion);
  res.set_header("Tus-Extension", "creation");
  res.set_header("Tus-Max-Size", std::to_string(svc.max_upload_bytes()));
  return res;
}

Response tus_create(VideosService& svc, Request& req) {
  auto len_text = req.header("Upload-Length");
  if (!len_text) throw_validation("Upload-Length", "This header is required (Upload-Defer-Length is not supported).");
  auto len = parse_int_text(*len_text);
  if (!len || *len < 1) throw_validation("Upload-Length", "Must be a positive integer.");
  auto meta = parse_upload_metadata(req.header("Upload-Metadata").value_or(""));
  auto u = svc.tus_create(req.current_user(), *len, meta);
  Response res;
  res.status = 201;
  res.content_type.clear();
  res.set_header("Location", "/api/videos/uploads/" + u.id + "/");
  res.set_header("Upload-Offset", "0");
  return res;
}

Response tus_head(VideosService& svc, Request& req) {
  auto u = svc.tus_state(req.current_user(), req.param("id"));
  Response res;
  res.status = 200;
  res.content_type.clear();
  res.set_header("Upload-Offset", std::to_string(u.upload_offset));
  res.set_header("Upload-Length", std::to_string(u.upload_length));
  res.set_header("Cache-Control", "no-store");
  if (u.video_id) res.set_header("X-Video-ID", *u.video_id);
  return res;
}

Response tus_patch(VideosService& svc, Request& req) {
  auto ct = req.header("Content-Type").value_or("");
  if (ct != "application/offset+octet-stream")
    throw Error(ErrorCode::unsupported_media, "Content-Type must be application/offset+octet-stream.");
  auto off_text = req.header("Upload-Offset");
  auto offset = off_text ? parse_int_text(*off_text) : std::nullopt;
  if (!offset || *offset < 0) throw_validation("Upload-Offset", "This header is required: a non-negative integer.");
  auto u = svc.tus_append(req.current_user(), req.param("id"), *offset, req.body_file);
  Response res;
  res.status = 204;
  res.content_type.clear();
  res.set_header("Upload-Offset", std::to_string(u.upload_offset));
  if (u.video_id) {
    res.set_header("X-Video-ID", *u.video_id);
    res.set_header("Link", "</api/videos/" + *u.video_id + "/>; rel=\"video\"");
  }
  return res;
}

}  // namespace

void add_routes(http::Router& router, VideosService& svc, const Config& config) {
  const auto A = Access::anonymous, U = Access::user;
  const std::int64_t upload_body = config.max_upload_bytes + 1024 * 1024;  // multipart framing and fields
  http::ModuleRoutes routes(router, svc, "videos");
  routes.add("GET", "/api/videos/", "List videos (filters category, tag, uploader, status, is_public; search; ordering)", A,
             list_videos);
  routes.add("POST", "/api/videos/",
             "Upload a video (multipart, field file) or add an external URL (JSON external_url)", U, create_video,
             {.max_body = upload_body, .body_to_file = true});
  routes.add("GET", "/api/videos/{id}/", "A video", A, get_video);
  routes.add("PATCH", "/api/videos/{id}/", "Change a video (uploader or staff)", U, patch_video);
  routes.add("DELETE", "/api/videos/{id}/", "Delete a video, its files and jobs (uploader or staff)", U, delete_video);
  routes.add("GET", "/api/videos/{id}/stream/", "The original file, with byte ranges", A, stream_video);
  routes.add("GET", "/api/videos/{id}/hls/{file:path}", "HLS playlists and segments", A, hls_file);
  routes.add("GET", "/api/videos/{id}/thumbnail/", "The thumbnail (JPEG)", A, thumbnail);
  routes.add("GET", "/api/videos/{id}/download/", "Download the original (as the video's settings allow)", A, download);
  routes.add("GET", "/api/videos/{id}/processing-status/", "Processing state, progress and renditions", A,
             processing_status);
  routes.add("POST", "/api/videos/{id}/like/", "Like or dislike; the same again removes it", U, like_video);
  routes.add("GET", "/api/videos/{id}/my-reactions/", "My like or dislike of the video and the comments I liked", U,
             my_reactions);
  routes.add("POST", "/api/videos/{id}/view/", "Count a view (once per viewer per window)", A, view_video);
  routes.add("POST", "/api/videos/{id}/progress/", "Record watch progress", U, progress);
  routes.add("GET", "/api/videos/watch-time/", "My watch time: one row per video and viewing context (party or none)",
             U, my_watch_time);
  routes.add("GET", "/api/videos/{id}/comments/", "Top-level comments, newest first", A, list_comments);
  routes.add("POST", "/api/videos/{id}/comments/", "Comment, or reply with parent_id", U, add_comment);
  routes.add("PATCH", "/api/videos/{id}/comments/{comment_id}/", "Edit my comment", U, edit_comment);
  routes.add("DELETE", "/api/videos/{id}/comments/{comment_id}/", "Delete a comment (author, uploader or staff)", U,
             delete_comment);
  routes.add("GET", "/api/videos/{id}/comments/{comment_id}/replies/", "Replies to a comment, oldest first", A,
             list_replies);
  routes.add("POST", "/api/videos/{id}/comments/{comment_id}/like/", "Like a comment; again to unlike", U,
             like_comment);

  auto options = [&config](VideosService& s, Request& r) { return tus_options(s, config, r); };
  routes.add("OPTIONS", "/api/videos/uploads/", "tus capabilities", A, options);
  routes.add("OPTIONS", "/api/videos/uploads/{id}/", "tus capabilities", A, options);
  routes.add("POST", "/api/videos/uploads/", "Start a resumable (tus 1.0) upload", U, tus(svc, tus_create));
  routes.add("GET", "/api/videos/uploads/{id}/", "tus upload offset (HEAD)", U, tus(svc, tus_head));
  routes.add("PATCH", "/api/videos/uploads/{id}/", "Append a chunk to a tus upload", U, tus(svc, tus_patch),
             {.max_body = config.max_upload_bytes, .body_to_file = true});
}

}  // namespace wp::videos
