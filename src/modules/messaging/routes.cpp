#include "modules/messaging/routes.hpp"

#include <algorithm>
#include <charconv>

#include "core/fields.hpp"
#include "core/ids.hpp"
#include "http/attachment_transfer.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/multipart_file.hpp"
#include "modules/messaging/dto.hpp"
#include "modules/messaging/protocol.hpp"

namespace wp::messaging {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kTitleMax = 100;
constexpr std::size_t kClientIdMax = 64;
constexpr std::size_t kMaxAttachments = 10;

std::optional<std::int64_t> whole_number(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// ?name= as a whole number in [lo, hi], or a 400.
std::optional<std::int64_t> query_number(Request& req, const char* name, std::int64_t lo, std::int64_t hi) {
  auto text = req.query(name);
  if (!text) return std::nullopt;
  auto v = whole_number(*text);
  if (!v || *v < lo || *v > hi)
    throw_validation(name, "Must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ".");
  return v;
}

std::optional<AddMembers> add_members_of(Fields& f, const json::object& body) {
  auto v = body.if_contains("settings");
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_object()) {
    f.add_error("settings", "Must be an object.");
    return std::nullopt;
  }
  auto a = v->as_object().if_contains("add_members");
  if (!a) return std::nullopt;
  auto parsed = a->is_string() ? parse_enum<AddMembers>(a->as_string()) : std::nullopt;
  if (!parsed) f.add_error("settings", "add_members must be one of " + enum_choices<AddMembers>() + ".");
  return parsed;
}

// "<last activity ms>_<id>": where the next page of conversations starts.
std::string cursor_text(const ConversationCursor& c) { return std::to_string(c.last_activity_at) + "_" + c.id; }

std::optional<ConversationCursor> cursor_of(Request& req) {
  auto text = req.query("cursor");
  if (!text) return std::nullopt;
  auto cut = text->find('_');
  auto at = cut == std::string::npos ? std::nullopt : whole_number(std::string_view(*text).substr(0, cut));
  if (!at || !is_uuid(text->substr(cut + 1))) throw_validation("cursor", "Not a cursor of this list.");
  return ConversationCursor{*at, text->substr(cut + 1)};
}

Response conversation_response(const ConversationView& v, Request& req, int status = 200) {
  return http::json_response(conversation_json(v, req.current_user().id), status);
}

// ---------------------------------------------------------------- conversations

Response list_conversations(MessagingService& svc, Request& req) {
  int limit = static_cast<int>(query_number(req, "limit", 1, 50).value_or(20));
  auto page = svc.list(req.current_user(), cursor_of(req), limit);
  json::array results;
  for (auto& v : page.rows) results.push_back(conversation_json(v, req.current_user().id));
  return http::json_response(json::object{
      {"results", std::move(results)},
      {"next_cursor", page.next ? json::value(cursor_text(*page.next)) : json::value(nullptr)}});
}

Response open_direct(MessagingService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto user_id = f.required_string("user_id", 1, 64);
  if (f.ok() && !is_uuid(user_id)) f.add_error("user_id", "Must be a user id (UUID).");
  f.done();
  bool created = false;
  auto v = svc.open_direct(req.current_user(), user_id, created);
  return conversation_response(v, req, created ? 201 : 200);
}

Response create_group(MessagingService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  GroupInput in;
  in.title = f.required_string("title", 1, kTitleMax);
  if (!body.contains("member_ids")) f.add_error("member_ids", "This field is required.");
  in.member_ids = f.optional_id_list("member_ids", 200);
  in.add_members = add_members_of(f, body).value_or(AddMembers::owner);
  f.done();
  return conversation_response(svc.create_group(req.current_user(), in), req, 201);
}

Response get_conversation(MessagingService& svc, Request& req) {
  return conversation_response(svc.get(req.current_user(), req.param("id")), req);
}

Response patch_conversation(MessagingService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  GroupPatch p;
  p.title = f.optional_string("title", kTitleMax);
  if (p.title && p.title->empty()) f.add_error("title", "This field may not be blank.");
  p.add_members = add_members_of(f, body);
  f.done();
  return conversation_response(svc.update_group(req.current_user(), req.param("id"), p), req);
}

Response add_member(MessagingService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto user_id = f.required_string("user_id", 1, 64);
  f.done();
  return conversation_response(svc.add_member(req.current_user(), req.param("id"), user_id), req, 201);
}

Response remove_member(MessagingService& svc, Request& req) {
  svc.remove_member(req.current_user(), req.param("id"), req.param("user_id"));
  return http::success_response();
}

Response leave(MessagingService& svc, Request& req) {
  svc.leave(req.current_user(), req.param("id"));
  return http::success_response();
}

Response unread(MessagingService& svc, Request& req) {
  auto t = svc.unread_total(req.current_user());
  return http::json_response(json::object{{"total", t.total}, {"conversations", t.conversations}});
}

Response get_settings(MessagingService& svc, Request& req) {
  return http::json_response(json::object{{"show_read_receipts", svc.show_read_receipts(req.current_user())}});
}

Response patch_settings(MessagingService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto show = f.optional_bool("show_read_receipts");
  f.done();
  if (show) svc.set_show_read_receipts(req.current_user(), *show);
  return get_settings(svc, req);
}

// ---------------------------------------------------------------- messages

Response list_messages(MessagingService& svc, Request& req) {
  PageRequest p;
  p.limit = static_cast<int>(query_number(req, "limit", 1, 100).value_or(50));
  p.before = req.query("before");
  p.after = req.query("after");
  p.after_seq = query_number(req, "after_seq", 0, INT64_MAX);
  if (int(p.before.has_value()) + int(p.after.has_value()) + int(p.after_seq.has_value()) > 1)
    throw_validation("before", "Give one of before, after and after_seq.");
  if (auto q = req.query("q")) {
    auto chars = std::count_if(q->begin(), q->end(), [](char c) { return (c & 0xC0) != 0x80; });
    if (chars < 1 || chars > 100) throw_validation("q", "Search text of 1 to 100 characters.");
    p.text = *q;
  }
  auto page = svc.messages(req.current_user(), req.param("id"), p);
  json::array results;
  for (auto& m : page.rows) results.push_back(message_json(m));
  return http::json_response(json::object{{"results", std::move(results)}, {"has_more", page.has_more}});
}

Response send_message(MessagingService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  MessageInput in;
  in.client_id = f.required_string("client_id", 1, kClientIdMax);
  in.body = f.optional_string("body", 4000);
  if (auto r = f.optional_string("reply_to_id", 64)) in.reply_to_id = *r;
  in.attachment_ids = f.optional_id_list("attachment_ids", kMaxAttachments);
  if (auto t = f.optional_string("message_type", 16)) {
    in.message_type = parse_enum<MessageType>(*t);
    if (!in.message_type) f.add_error("message_type", "Must be one of " + enum_choices<MessageType>() + ".");
  }
  if (auto md = body.if_contains("metadata"); md && !md->is_null()) {
    try {
      in.metadata = checked_metadata(*md);
    } catch (const Error& e) {
      f.merge(e.fields());
    }
  }
  f.done();
  auto sent = svc.send(req.current_user(), req.param("id"), in);
  return http::json_response(message_json(sent.message), sent.created ? 201 : 200);
}

Response edit_message(MessagingService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto text = f.required_string("body", 0, 4000);
  f.done();
  return http::json_response(message_json(svc.edit(req.current_user(), req.param("id"), req.param("message_id"), text)));
}

Response delete_message(MessagingService& svc, Request& req) {
  return http::json_response(message_json(svc.remove(req.current_user(), req.param("id"), req.param("message_id"))));
}

Response react(MessagingService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto text = f.required_string("emoji", 1, 16);
  f.done();
  auto emoji = require_enum<Emoji>("emoji", text);
  auto [reacted, reactions] = svc.react(req.current_user(), req.param("id"), req.param("message_id"), emoji);
  return http::json_response(json::object{{"reacted", reacted}, {"reactions", reactions_json(reactions, true)}});
}

Response mark_read(MessagingService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto message_id = f.required_string("message_id", 1, 64);
  f.done();
  auto state = svc.mark_read(req.current_user(), req.param("id"), message_id);
  return http::json_response(json::object{{"last_read_seq", state.last_read_seq}, {"unread_count", state.unread_count}});
}

// ---------------------------------------------------------------- attachments

Response upload(MessagingService& svc, Request& req) {
  http::StagedFile staged{svc.staging_path()};
  auto filename = http::receive_attachment(req, staged.path, svc.max_attachment_bytes());
  return http::json_response(attachment_json(svc.upload(req.current_user(), staged.path, filename)), 201);
}

Response download(MessagingService& svc, Request& req, bool thumbnail) {
  auto [a, path] = svc.attachment_file(req.current_user(), req.param("id"), thumbnail);
  return http::attachment_download(req, path, thumbnail, a.mime_type, a.filename, a.kind);
}

// ---------------------------------------------------------------- socket messages

void sync(MessagingService& svc, const UserSocketMessage& m) {
  auto have = protocol::parse_sync(m.body);
  std::map<std::string, std::int64_t> done;
  for (auto& item : svc.sync(m.user, have)) {
    done[item.conversation_id] = item.last_seq;
    if (item.refetch) {
      m.reply(protocol::refetch(item.conversation_id, item.last_seq));
      continue;
    }
    for (auto& msg : item.messages) m.reply(protocol::replayed(msg));
  }
  m.reply(protocol::sync_done(done));
}

}  // namespace

Settings settings_from(const Config& c) {
  Settings s;
  s.send_limit = c.message_send_limit;
  s.send_window_ms = std::int64_t{c.message_send_window_s} * 1000;
  // A sync's frames must fit the socket's send queue, with room for live events.
  s.sync_limit = std::max(1, std::min(c.message_sync_limit, c.ws_send_queue / 2));
  s.max_attachment_bytes = c.message_attachment_max_bytes;
  s.attachment_ttl_ms = std::int64_t{c.message_attachment_ttl_s} * 1000;
  s.data_dir = c.data_dir;
  s.ffmpeg = c.ffmpeg_path;
  return s;
}

void add_routes(http::Router& router, MessagingService& svc) {
  const auto U = Access::user;
  const std::int64_t upload_body = svc.max_attachment_bytes() + 64 * 1024;  // multipart framing
  http::ModuleRoutes routes(router, svc, "messaging");
  routes.add("GET", "/api/conversations/", "My conversations, latest activity first (cursor)", U, list_conversations);
  routes.add("POST", "/api/conversations/direct/", "Open the direct conversation with a user (one per pair)", U,
             open_direct);
  routes.add("POST", "/api/conversations/groups/", "Create a group conversation (3-100 members)", U, create_group);
  routes.add("GET", "/api/conversations/unread/", "My unread messages over all conversations", U, unread);
  routes.add("GET", "/api/conversations/settings/", "My messaging settings", U, get_settings);
  routes.add("PATCH", "/api/conversations/settings/", "Change my messaging settings (show_read_receipts)", U,
             patch_settings);
  routes.add("POST", "/api/conversations/attachments/", "Upload an attachment (multipart, field file)", U, upload,
             {.max_body = upload_body, .body_to_file = true});
  routes.add("GET", "/api/conversations/attachments/{id}/", "Download an attachment (ranges; members only)", U,
             [](MessagingService& s, Request& r) { return download(s, r, false); });
  routes.add("GET", "/api/conversations/attachments/{id}/thumbnail/", "An image attachment's thumbnail", U,
             [](MessagingService& s, Request& r) { return download(s, r, true); });
  routes.add("GET", "/api/conversations/{id}/", "A conversation with its members and my unread count", U,
             get_conversation);
  routes.add("PATCH", "/api/conversations/{id}/", "Change a group's title or settings (owner)", U,
             patch_conversation);
  routes.add("POST", "/api/conversations/{id}/members/", "Add a member to a group", U, add_member);
  routes.add("DELETE", "/api/conversations/{id}/members/{user_id}/", "Remove a member from a group (owner)", U,
             remove_member);
  routes.add("POST", "/api/conversations/{id}/leave/", "Leave a group", U, leave);
  routes.add("GET", "/api/conversations/{id}/messages/", "Messages by seq (before/after/after_seq cursors, q search)",
             U, list_messages);
  routes.add("POST", "/api/conversations/{id}/messages/", "Send a message (client_id makes a retry safe)", U,
             send_message);
  routes.add("PATCH", "/api/conversations/{id}/messages/{message_id}/", "Edit my message", U, edit_message);
  routes.add("DELETE", "/api/conversations/{id}/messages/{message_id}/", "Delete my message (a tombstone stays)", U,
             delete_message);
  routes.add("POST", "/api/conversations/{id}/messages/{message_id}/reactions/", "Toggle my reaction to a message",
             U, react);
  routes.add("POST", "/api/conversations/{id}/read/", "Mark the conversation read up to a message", U, mark_read);
}

void add_socket_messages(UserMessageHandlers& handlers, MessagingService& svc) {
  handlers.add("sync", [&svc](const UserSocketMessage& m) { sync(svc, m); });
  handlers.add("typing", [&svc](const UserSocketMessage& m) {
    svc.typing(m.user, *protocol::parse_conversation_id(m.body, false));
  });
  handlers.add("viewing", [&svc](const UserSocketMessage& m) {
    svc.viewing(m.user, protocol::parse_conversation_id(m.body, true));
  });
}

}  // namespace wp::messaging
