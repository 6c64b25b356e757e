#include "modules/messaging/dto.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "http/json.hpp"

namespace wp::messaging {

namespace json = boost::json;

namespace {

using http::time_or_null;

json::value text_or_null(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

constexpr std::size_t kMaxPreviews = 3;
constexpr std::size_t kMaxUrl = 2000;
constexpr std::size_t kMaxTitle = 200;

[[noreturn]] void bad_metadata(const std::string& why) { throw_validation("metadata", why); }

std::string https_url(const json::object& o, const char* key, bool required) {
  auto v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) bad_metadata(std::string("Each link preview needs a ") + key + ".");
    return {};
  }
  if (!v->is_string()) bad_metadata(std::string(key) + " must be a string.");
  std::string url(v->as_string());
  if (url.size() > kMaxUrl) bad_metadata(std::string(key) + " is longer than 2000 characters.");
  if (url.rfind("https://", 0) != 0 || url.size() <= 8) bad_metadata(std::string(key) + " must be an https URL.");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20) bad_metadata(std::string(key) + " must not contain spaces.");
  return url;
}

}  // namespace

json::object attachment_json(const AttachmentRow& a) {
  std::string url = "/api/conversations/attachments/" + a.id + "/";
  return {{"id", a.id},
          {"filename", a.filename},
          {"mime_type", a.mime_type},
          {"size", a.size},
          {"kind", to_string(a.kind)},
          {"has_thumbnail", a.has_thumbnail},
          {"url", url},
          {"thumbnail_url", a.has_thumbnail ? json::value(url + "thumbnail/") : json::value(nullptr)}};
}

json::array reactions_json(const std::vector<ReactionCount>& reactions, bool with_me) {
  json::array out;
  for (auto& r : reactions) {
    json::object o{{"emoji", to_string(r.emoji)}, {"count", r.count}};
    if (with_me) o["me"] = r.me;
    out.push_back(std::move(o));
  }
  return out;
}

json::object message_json(const MessageRow& m, bool with_me) {
  json::object o{{"id", m.id}, {"conversation_id", m.conversation_id}, {"seq", m.seq}};
  if (m.sender_id)
    o["sender"] = json::object{{"id", *m.sender_id}, {"username", m.sender_username.value_or("")}};
  else
    o["sender"] = nullptr;
  o["client_id"] = text_or_null(m.client_id);
  o["message_type"] = to_string(m.message_type);
  o["body"] = text_or_null(m.body);
  o["reply_to_id"] = text_or_null(m.reply_to_id);
  o["metadata"] = m.metadata ? json::parse(*m.metadata) : json::value(nullptr);
  json::array attachments;
  for (auto& a : m.attachments) attachments.push_back(attachment_json(a));
  o["attachments"] = std::move(attachments);
  o["reactions"] = reactions_json(m.reactions, with_me);
  o["is_edited"] = m.is_edited;
  o["edited_at"] = time_or_null(m.edited_at);
  o["is_deleted"] = m.deleted();
  o["deleted_at"] = time_or_null(m.deleted_at);
  o["created_at"] = to_rfc3339(m.created_at);
  return o;
}

json::object conversation_json(const ConversationView& v, const std::string& viewer) {
  const auto& c = v.conversation;
  json::array members;
  for (std::size_t i = 0; i < v.members.size(); ++i) {
    const auto& m = v.members[i];
    bool receipt = m.show_read_receipts || m.user_id == viewer;
    members.push_back(json::object{{"id", m.user_id},
                                   {"username", m.username},
                                   {"role", to_string(m.role)},
                                   {"online", i < v.online.size() && v.online[i]},
                                   {"last_read_seq", receipt ? json::value(m.last_read_seq) : json::value(nullptr)}});
  }
  return {{"id", c.id},
          {"kind", to_string(c.kind)},
          {"title", text_or_null(c.title)},
          {"owner_id", text_or_null(c.owner_id)},
          {"settings", json::object{{"add_members", to_string(c.add_members)}}},
          {"members", std::move(members)},
          {"last_seq", c.last_seq},
          {"last_message", v.last_message ? json::value(message_json(*v.last_message)) : json::value(nullptr)},
          {"unread_count", v.unread_count},
          {"last_activity_at", to_rfc3339(c.last_activity_at)},
          {"created_at", to_rfc3339(c.created_at)}};
}

std::string checked_metadata(const json::value& metadata) {
  if (!metadata.is_object()) bad_metadata("Must be an object.");
  const auto& md = metadata.as_object();
  json::array previews;
  for (auto& [key, value] : md) {
    if (key != "link_previews") bad_metadata("Unknown key " + std::string(key) + ": only link_previews.");
    if (!value.is_array()) bad_metadata("link_previews must be a list.");
    if (value.as_array().size() > kMaxPreviews) bad_metadata("At most 3 link previews.");
    for (auto& p : value.as_array()) {
      if (!p.is_object()) bad_metadata("Each link preview must be an object.");
      const auto& po = p.as_object();
      for (auto& [k, _] : po)
        if (k != "url" && k != "title" && k != "image_url") bad_metadata("Unknown link preview key " + std::string(k) + ".");
      json::object out{{"url", https_url(po, "url", true)}};
      if (auto t = po.if_contains("title"); t && !t->is_null()) {
        if (!t->is_string() || t->as_string().size() > kMaxTitle) bad_metadata("title must be text of at most 200 bytes.");
        out["title"] = t->as_string();
      }
      if (auto image = https_url(po, "image_url", false); !image.empty()) out["image_url"] = image;
      previews.push_back(std::move(out));
    }
  }
  return json::serialize(json::object{{"link_previews", std::move(previews)}});
}

}  // namespace wp::messaging
