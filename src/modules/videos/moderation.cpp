// VideosService and moderation (#19): screening comments and titles,
// videos and comments in the moderation queue, hidden and restored.
#include "core/clock.hpp"
#include "modules/videos/service.hpp"

namespace wp::videos {

void VideosService::screen(const std::string& user_id, ContentType type, const std::string& text,
                           const std::string& field) {
  if (guard_) guard_->screen(user_id, type, text, field);
}

void VideosService::posted(const std::string& user_id, ContentType type, const std::string& id,
                           const std::string& text) {
  if (guard_) guard_->posted(user_id, type, id, text);
}

std::optional<ContentView> VideosService::video_view(const std::string& id) {
  auto v = store_.video(id);
  if (!v) return std::nullopt;
  ContentView out;
  out.author_id = v->uploaded_by_id;
  out.text = v->title + (v->description.empty() ? "" : "\n\n" + v->description);
  out.context = "video " + v->id;
  out.removed = v->removed_at.has_value();
  return out;
}

std::optional<ContentView> VideosService::comment_view(const std::string& id) {
  auto c = store_.comment(id);
  if (!c) return std::nullopt;
  ContentView out;
  out.author_id = c->user_id;
  out.text = c->content;
  out.context = "comment on video " + c->video_id;
  if (auto v = store_.video(c->video_id)) out.context = "comment on video \"" + v->title + "\"";
  out.removed = c->is_deleted;
  return out;
}

std::optional<std::string> VideosService::hide_video(const std::string& id) {
  if (!store_.hide_video(id, now_ms())) return std::nullopt;
  return std::string("{}");  // the row keeps everything; removed_at is the tombstone
}

bool VideosService::restore_video(const std::string& id) { return store_.restore_video(id); }

std::optional<std::string> VideosService::hide_comment(const std::string& id) {
  auto c = store_.comment(id);
  if (!c || c->is_deleted || !store_.hide_comment(id)) return std::nullopt;
  return c->content;
}

bool VideosService::restore_comment(const std::string& id, const std::string& content) {
  return store_.restore_comment(id, content);
}

}  // namespace wp::videos
