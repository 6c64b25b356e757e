#include "modules/notifications/routes.hpp"

#include "core/fields.hpp"
#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/notifications/dto.hpp"
#include "modules/notifications/templates.hpp"

namespace wp::notifications {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

Response list(NotificationsService& svc, Request& req) {
  auto page = http::parse_page(req);
  ListFilter f;
  if (auto u = req.query("unread")) {
    if (*u != "true" && *u != "false") throw_validation("unread", "Must be true or false.");
    f.unread_only = *u == "true";
  }
  if (auto t = req.query("type")) f.type = require_enum<Type>("type", *t);
  f.limit = page.size;
  f.offset = page.offset();
  auto listed = svc.list(req.current_user(), f);
  json::array out;
  for (auto& n : listed.rows) out.push_back(notification_json(n));
  return http::paginated(req, page, listed.count, std::move(out));
}

Response unread_count(NotificationsService& svc, Request& req) {
  return http::json_response(unread_json(svc.unread(req.current_user())));
}

Response get_one(NotificationsService& svc, Request& req) {
  return http::json_response(notification_json(svc.get(req.current_user(), req.param("id"))));
}

Response mark_read(NotificationsService& svc, Request& req) {
  return http::json_response(notification_json(svc.mark_read(req.current_user(), req.param("id"))));
}

Response mark_all_read(NotificationsService& svc, Request& req) {
  return http::success_response({{"marked", svc.mark_all_read(req.current_user())}});
}

Response remove(NotificationsService& svc, Request& req) {
  svc.remove(req.current_user(), req.param("id"));
  return http::success_response();
}

Response types(NotificationsService&, Request&) {
  json::array out;
  for (auto& info : type_catalog()) out.push_back(type_json(info));
  return http::json_response(out);
}

json::object preferences_json(const Preferences& p) {
  json::array types;
  for (auto& info : type_catalog()) {
    auto o = type_json(info);
    json::object channels;
    for (auto& [channel, on] : p.channels.at(info.type)) channels[to_string(channel)] = on;
    o["channels"] = channels;
    types.push_back(o);
  }
  json::value quiet = nullptr;
  if (p.settings.quiet_start && p.settings.quiet_end)
    quiet = json::object{{"start", minutes_text(*p.settings.quiet_start)}, {"end", minutes_text(*p.settings.quiet_end)}};
  return {{"types", types},
          {"muted", p.settings.muted},
          {"digest_mode", to_string(p.settings.digest_mode)},
          {"quiet_hours", quiet},
          {"timezone", p.timezone}};
}

Response get_preferences(NotificationsService& svc, Request& req) {
  return http::json_response(preferences_json(svc.preferences(req.current_user())));
}

// {"preferences": [{"notification_type", "channel", "enabled"}], "muted", "digest_mode", "quiet_hours"}
PreferencesPatch parse_patch(const json::object& body) {
  Fields f(body);
  PreferencesPatch patch;
  patch.muted = f.optional_bool("muted");
  if (auto mode = f.optional_string("digest_mode", 16)) patch.digest_mode = require_enum<DigestMode>("digest_mode", *mode);
  if (auto prefs = body.if_contains("preferences")) {
    if (!prefs->is_array()) throw_validation("preferences", "Must be a list.");
    for (auto& item : prefs->as_array()) {
      auto* o = item.if_object();
      auto* t = o ? o->if_contains("notification_type") : nullptr;
      auto* c = o ? o->if_contains("channel") : nullptr;
      auto* e = o ? o->if_contains("enabled") : nullptr;
      if (!t || !t->is_string() || !c || !c->is_string() || !e || !e->is_bool())
        throw_validation("preferences", "Each item needs notification_type, channel and enabled (a boolean).");
      patch.channels.push_back({require_enum<Type>("notification_type", t->as_string()),
                                require_enum<Channel>("channel", c->as_string()), e->as_bool()});
    }
  }
  if (auto quiet = body.if_contains("quiet_hours")) {
    patch.set_quiet_hours = true;
    if (!quiet->is_null()) {
      auto* o = quiet->if_object();
      auto* s = o ? o->if_contains("start") : nullptr;
      auto* e = o ? o->if_contains("end") : nullptr;
      if (!s || !s->is_string() || !e || !e->is_string())
        throw_validation("quiet_hours", "Give {\"start\": \"HH:MM\", \"end\": \"HH:MM\"}, or null.");
      patch.quiet_start = parse_minutes(std::string(s->as_string()));
      patch.quiet_end = parse_minutes(std::string(e->as_string()));
      if (!patch.quiet_start || !patch.quiet_end) throw_validation("quiet_hours", "Times are HH:MM, 00:00 to 23:59.");
    }
  }
  f.done();
  return patch;
}

Response patch_preferences(NotificationsService& svc, Request& req) {
  auto patch = parse_patch(http::parse_object_body(req));
  return http::json_response(preferences_json(svc.update_preferences(req.current_user(), patch)));
}

bool wants_html(const Request& req) {
  auto accept = req.header("Accept");
  return accept && accept->find("text/html") != std::string::npos;
}

Response page(const std::string& heading, const std::string& text, const std::string& form,
              const std::string& settings_url) {
  json::object vars{{"heading", heading}, {"text", text}, {"form", form}, {"settings_url", settings_url}};
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = render(template_file("pages/unsubscribe.html"), vars, Escape::html);
  return r;
}

std::string what_stops(const UnsubscribeTarget& t) {
  if (t.kind == "digest") return "digest mails";
  return "mails about " + std::string(type_info(*parse_enum<Type>(t.kind)).label);
}

// GET: a page with the button (no change: mail scanners follow links). A bad token is a 400 envelope.
Response unsubscribe_page(NotificationsService& svc, Request& req) {
  auto token = req.query("token").value_or("");
  auto target = svc.unsubscribe(token, false);
  json::object vars{{"action", "/api/notifications/unsubscribe/?token=" + token}};
  return page("Unsubscribe", "Stop " + what_stops(target) + "? No login needed.",
              render(template_file("pages/unsubscribe_form.html"), vars, Escape::html),
              svc.options().public_url + "/settings/notifications");
}

// POST: RFC 8058 one-click (the mail client's POST), or the page's button.
Response unsubscribe(NotificationsService& svc, Request& req) {
  auto target = svc.unsubscribe(req.query("token").value_or(""), true);
  if (wants_html(req))
    return page("Unsubscribed", "You will get no more " + what_stops(target) + ".", "",
                svc.options().public_url + "/settings/notifications");
  return http::success_response({{"user_id", target.user_id}, {"unsubscribed", target.kind}});
}

Response start_broadcast(NotificationsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  BroadcastInput in;
  in.title = f.required_string("title", 1, 200);
  in.message = f.required_string("message", 1, 2000);
  in.url = f.optional_string("url", 500).value_or("");
  auto audience = f.optional_string("audience", 16).value_or("all");
  in.user_id = f.optional_string("user_id", 64);
  in.plan = f.optional_string("plan", 64);
  if (in.user_id && !is_uuid(*in.user_id)) f.add_error("user_id", "Must be a user id (UUID).");
  if (!in.url.empty() && in.url.front() != '/') f.add_error("url", "Must be a path of this site, starting with /.");
  f.done();
  in.audience = require_enum<Audience>("audience", audience);
  return http::json_response(broadcast_json(svc.start_broadcast(req.current_user(), in)), 202);
}

Response get_broadcast(NotificationsService& svc, Request& req) {
  return http::json_response(broadcast_json(svc.broadcast(req.current_user(), req.param("id"))));
}

}  // namespace

void add_routes(http::Router& router, NotificationsService& svc) {
  const auto U = Access::user, A = Access::anonymous, S = Access::staff;
  http::ModuleRoutes routes(router, svc, "notifications");
  routes.add("GET", "/api/notifications/", "My notifications, newest first (?unread=true|false, ?type=)", U, list);
  routes.add("GET", "/api/notifications/unread-count/", "How many of my notifications are unread", U, unread_count);
  routes.add("POST", "/api/notifications/read-all/", "Mark all my notifications read", U, mark_all_read);
  routes.add("GET", "/api/notifications/types/", "The notification types and their default channels", U, types);
  routes.add("GET", "/api/notifications/preferences/", "My notification preferences (type x channel, mute, digest, "
             "quiet hours)", U, get_preferences);
  routes.add("PATCH", "/api/notifications/preferences/", "Change my notification preferences", U, patch_preferences);
  routes.add("GET", "/api/notifications/unsubscribe/", "The unsubscribe page of a mail's link (no login)", A,
             unsubscribe_page);
  routes.add("POST", "/api/notifications/unsubscribe/", "One-click unsubscribe (RFC 8058; signed link, no login)", A,
             unsubscribe);
  routes.add("GET", "/api/notifications/{id}/", "One of my notifications", U, get_one);
  routes.add("POST", "/api/notifications/{id}/read/", "Mark one of my notifications read", U, mark_read);
  routes.add("DELETE", "/api/notifications/{id}/", "Delete one of my notifications", U, remove);
  routes.add("POST", "/api/admin/notifications/broadcasts/",
             "Staff: notify every user or a user's followers (answers at once; the fan-out runs in the background)",
             S, start_broadcast);
  routes.add("GET", "/api/admin/notifications/broadcasts/{id}/", "Staff: a broadcast's progress and timing", S,
             get_broadcast);
}

}  // namespace wp::notifications
