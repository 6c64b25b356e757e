// What the videos module tells people through wp::Notifier (#15): a like
// on their video (grouped per video), a reply to their comment, an
// @mention in a comment of a video they may see.
#include <boost/json.hpp>

#include "modules/videos/service.hpp"

namespace wp::videos {

namespace json = boost::json;

void VideosService::notify_like(const Principal& user, const VideoRow& v) {
  json::object data{{"actor_id", user.id}, {"actor_username", user.username}, {"video_id", v.id},
                    {"video_title", v.title}};
  notify_quietly(notifier_, {v.uploaded_by_id, "video_like", json::serialize(data), "video:" + v.id, user.id});
}

void VideosService::notify_comment(const Principal& user, const VideoRow& v, const CommentRow& c) {
  if (!notifier_) return;
  json::object data{{"actor_id", user.id},   {"actor_username", user.username},
                    {"video_id", v.id},      {"video_title", v.title},
                    {"comment_id", c.id},    {"excerpt", excerpt(c.content, 200)},
                    {"link", "/videos/" + v.id}};
  std::string replied_to;
  if (c.parent_id) {
    if (auto parent = store_.comment(*c.parent_id)) {
      replied_to = parent->user_id;
      auto reply = data;
      reply["parent_id"] = *c.parent_id;
      notify_quietly(notifier_, {replied_to, "comment_reply", json::serialize(reply), "comment:" + *c.parent_id, user.id});
    }
  }
  if (!ids_by_name_) return;
  auto names = mentioned_usernames(c.content);
  if (names.empty()) return;
  auto text = json::serialize(data);
  for (auto& uid : ids_by_name_(names)) {
    // The reply notice said it already; nobody hears of a video they may not see.
    if (uid == user.id || uid == replied_to) continue;
    Principal them{uid, "", false, false, ""};
    if (visible(&them, v)) notify_quietly(notifier_, {uid, "mention", text, "", user.id});
  }
}

}  // namespace wp::videos
