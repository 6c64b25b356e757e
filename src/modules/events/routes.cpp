#include "modules/events/routes.hpp"

#include "core/clock.hpp"
#include "core/fields.hpp"
#include "core/ids.hpp"
#include "core/validators.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/events/dto.hpp"
#include "modules/events/policy.hpp"

namespace wp::events {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kTitleMax = 200, kDescriptionMax = 5000, kLocationMax = 500, kNoteMax = 500;

std::optional<std::int64_t> time_field(Fields& f, const char* name) {
  auto text = f.optional_string(name, 40);
  if (!text) return std::nullopt;
  auto t = parse_rfc3339(*text);
  if (!t) f.add_error(name, "Enter a date-time in RFC 3339 form, such as 2027-01-31T19:00:00Z.");
  return t;
}

bool is_null(const json::object& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->value().is_null();
}

std::optional<std::optional<std::string>> id_field(Fields& f, const json::object& body, const char* name) {
  if (is_null(body, name)) return std::optional<std::string>{};
  auto v = f.optional_string(name, 36);
  if (!v) return std::nullopt;
  if (!is_uuid(*v)) f.add_error(name, "Must be an id (UUID).");
  return std::optional<std::string>{validators::lower(*v)};
}

template <class E>
std::optional<E> enum_field(Fields& f, const char* name) {
  auto text = f.optional_string(name, 40);
  if (!text) return std::nullopt;
  auto v = parse_enum<E>(*text);
  if (!v) {
    std::string allowed;
    for (auto [value, n] : enum_names<E>.items) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
    f.add_error(name, "Must be one of: " + allowed + ".");
  }
  return v;
}

// A PUT replaces every editable field: the absent ones take their defaults.
void default_absent(EventInput& in) {
  if (!in.description) in.description = "";
  if (!in.location) in.location = "";
  if (!in.timezone) in.timezone = "UTC";
  if (!in.max_attendees) in.max_attendees = std::optional<int>{};
  if (!in.require_approval) in.require_approval = false;
  if (!in.is_public) in.is_public = true;
  if (!in.creates_party) in.creates_party = false;
  if (!in.category) in.category = Category::other;
  if (!in.settings) in.settings = json::object{};
  if (!in.video_id) in.video_id = std::optional<std::string>{};
  if (!in.group_id) in.group_id = std::optional<std::string>{};
}

void read_recurrence(Fields& f, EventInput& in, bool create) {
  auto r = f.optional_object("recurrence");
  if (!r) return;
  if (!create) f.add_error("recurrence", "A series is made when the event is created.");
  Fields rf(*r);
  auto freq = enum_field<Recurrence>(rf, "frequency");
  auto until = time_field(rf, "until");
  if (!freq || !until || !rf.ok())
    f.add_error("recurrence", "Give frequency (weekly or monthly) and until.");
  else
    in.recurrence = RecurrenceInput{*freq, *until};
}

// The fields of a body; `full` (PUT) gives every absent editable field its default.
EventInput read_event(const json::object& body, bool full, bool create) {
  Fields f(body);
  EventInput in;
  in.title = f.optional_string("title", kTitleMax);
  if ((full || create) && (!in.title || in.title->empty())) f.add_error("title", "This field is required.");
  if (in.title && in.title->empty()) f.add_error("title", "This field may not be blank.");
  in.description = f.optional_string("description", kDescriptionMax);
  in.location = f.optional_string("location", kLocationMax);
  in.timezone = f.optional_string("timezone", 64);
  if (in.timezone)
    if (auto bad = validators::iana_timezone(*in.timezone)) f.add_error("timezone", *bad);
  in.start_time = time_field(f, "start_time");
  in.end_time = time_field(f, "end_time");
  for (auto name : {"start_time", "end_time"})
    if ((full || create) && !body.contains(name)) f.add_error(name, "This field is required.");
  if (is_null(body, "max_attendees")) {
    in.max_attendees = std::optional<int>{};
  } else if (auto m = f.optional_int("max_attendees", 1, 100000)) {
    in.max_attendees = std::optional<int>{static_cast<int>(*m)};
  }
  in.require_approval = f.optional_bool("require_approval");
  in.is_public = f.optional_bool("is_public");
  in.creates_party = f.optional_bool("creates_party");
  in.category = enum_field<Category>(f, "category");
  in.status = enum_field<EventStatus>(f, "status");
  if (create && in.status) f.add_error("status", "A new event is upcoming.");
  in.settings = f.optional_object("settings");
  if (in.settings) f.merge(check_settings(*in.settings));
  in.video_id = id_field(f, body, "video_id");
  in.group_id = id_field(f, body, "group_id");
  read_recurrence(f, in, create);
  f.done();
  if (full) default_absent(in);
  return in;
}

Scope scope_of(Request& req) {
  return require_enum<Scope>("scope", req.query("scope").value_or("this"));
}

// Where the web client is, for the URL lines of calendars.
std::string base_url(const Config& config, Request& req) {
  if (!config.public_url.empty()) return config.public_url;
  return "http://" + req.header("Host").value_or(config.host + ":" + std::to_string(config.port));
}

Response view_response(EventsService& svc, Request& req, const std::string& id, int status = 200) {
  return http::json_response(event_view_json(svc.get(req.current_user(), id)), status);
}

Response list_events(EventsService& svc, Request& req) {
  auto page = http::parse_page(req);
  EventFilter f;
  f.when = require_enum<When>("when", req.query("when").value_or("any"));
  f.mine = req.query("mine").value_or("") == "true";
  f.attending = req.query("attending").value_or("") == "true";
  f.invited = req.query("invited").value_or("") == "true";
  if (auto c = req.query("category")) f.category = require_enum<Category>("category", *c);
  for (auto [name, slot] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
    if (auto text = req.query(name)) {
      *slot = parse_rfc3339(*text);
      if (!*slot) throw_validation(name, "Enter a date-time in RFC 3339 form.");
    }
  }
  f.search = req.query("search");
  long long count = 0;
  json::array out;
  auto rows = svc.list(req.current_user(), f, page.size, page.offset(), count);
  std::vector<std::string> ids;
  for (auto& e : rows) ids.push_back(e.id);
  auto counts = svc.counts_of(ids);
  for (auto& e : rows) {
    auto o = event_json(e);
    o["counts"] = counts_json(counts[e.id]);
    out.push_back(std::move(o));
  }
  return http::paginated(req, page, count, std::move(out));
}

Response create_event(EventsService& svc, Request& req) {
  auto in = read_event(http::parse_object_body(req), false, true);
  auto e = svc.create(req.current_user(), in);
  return view_response(svc, req, e.id, 201);
}

Response get_event(EventsService& svc, Request& req) { return view_response(svc, req, req.param("id")); }

Response write_event(EventsService& svc, Request& req, bool full) {
  auto in = read_event(http::parse_object_body(req), full, false);
  svc.update(req.current_user(), req.param("id"), in, scope_of(req));
  return view_response(svc, req, req.param("id"));
}

Response put_event(EventsService& svc, Request& req) { return write_event(svc, req, true); }
Response patch_event(EventsService& svc, Request& req) { return write_event(svc, req, false); }

Response delete_event(EventsService& svc, Request& req) {
  svc.remove(req.current_user(), req.param("id"), scope_of(req));
  return http::success_response();
}

// 200 going, 202 pending approval or waitlisted.
Response join_event(EventsService& svc, Request& req) {
  auto a = svc.join(req.current_user(), req.param("id"));
  return http::json_response(attendee_json(a), a.status == AttendeeStatus::going ? 200 : 202);
}

Response leave_event(EventsService& svc, Request& req) {
  svc.leave(req.current_user(), req.param("id"));
  return http::success_response();
}

Response list_attendees(EventsService& svc, Request& req) {
  auto page = http::parse_page(req, 50);
  std::optional<AttendeeStatus> status;
  if (auto s = req.query("status")) status = require_enum<AttendeeStatus>("status", *s);
  long long count = 0;
  json::array out;
  for (auto& a : svc.attendees(req.current_user(), req.param("id"), status, page.size, page.offset(), count))
    out.push_back(attendee_json(a));
  return http::paginated(req, page, count, std::move(out));
}

Response approve(EventsService& svc, Request& req) {
  return http::json_response(attendee_json(svc.approve(req.current_user(), req.param("id"), req.param("user_id"))));
}

Response reject(EventsService& svc, Request& req) {
  svc.reject(req.current_user(), req.param("id"), req.param("user_id"));
  return http::success_response();
}

Response set_preferences(EventsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto prefs = f.optional_object("preferences");
  if (!prefs) f.add_error("preferences", "This field is required.");
  else f.merge(check_preferences(*prefs));
  f.done();
  return http::json_response(attendee_json(svc.set_preferences(req.current_user(), req.param("id"), *prefs)));
}

Response invite(EventsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto user_id = f.required_string("user_id", 1, 36);
  if (!user_id.empty() && !is_uuid(user_id)) f.add_error("user_id", "Must be a user id (UUID).");
  f.done();
  return http::json_response(
      invitation_json(svc.invite(req.current_user(), req.param("id"), validators::lower(user_id))), 201);
}

Response accept_invitation(EventsService& svc, Request& req) {
  auto a = svc.accept_invitation(req.current_user(), req.param("id"));
  return http::json_response(attendee_json(a));
}

Response decline_invitation(EventsService& svc, Request& req) {
  svc.decline_invitation(req.current_user(), req.param("id"));
  return http::success_response();
}

Response my_invitations(EventsService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& i : svc.invitations(req.current_user(), page.size, page.offset(), count)) out.push_back(invitation_json(i));
  return http::paginated(req, page, count, std::move(out));
}

Response rsvp(EventsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto response = enum_field<RsvpResponse>(f, "response");
  if (!body.contains("response")) f.add_error("response", "This field is required.");
  auto note = f.optional_string("note", kNoteMax).value_or("");
  f.done();
  return http::json_response(event_view_json(svc.rsvp(req.current_user(), req.param("id"), *response, note)));
}

Response calendar_response(std::string body, const std::string& filename) {
  Response r;
  r.content_type = "text/calendar; charset=utf-8";
  r.body = std::move(body);
  r.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.set_header("Cache-Control", "private, no-store");
  return r;
}

Response feed_info(const std::string& token) {
  return http::json_response(json::object{{"token", token}, {"url", "/api/events/calendar/" + token + ".ics"}});
}

}  // namespace

void add_routes(http::Router& router, EventsService& svc, const Config& config) {
  const auto A = Access::anonymous, U = Access::user;
  http::ModuleRoutes routes(router, svc, "events");
  routes.add("GET", "/api/events/", "Events I may see, with filters (when, mine, attending, invited, category, "
             "from, to, search)", U, list_events);
  routes.add("POST", "/api/events/", "Create an event (or a weekly or monthly series)", U, create_event);
  routes.add("GET", "/api/events/invitations/", "My pending event invitations", U, my_invitations);
  routes.add("GET", "/api/events/calendar/", "My calendar feed's URL (made on first use)", U,
             [](EventsService& s, Request& r) { return feed_info(s.calendar_token(r.current_user())); });
  routes.add("POST", "/api/events/calendar/rotate/", "A new secret for my calendar feed (the old URL stops)", U,
             [](EventsService& s, Request& r) { return feed_info(s.rotate_calendar_token(r.current_user())); });
  routes.add("GET", "/api/events/calendar/{token}", "My calendar feed as iCalendar ({token}.ics; no login)", A,
             [&config](EventsService& s, Request& r) {
               const auto& name = r.param("token");
               auto body = name.ends_with(".ics") ? s.feed(name.substr(0, name.size() - 4), base_url(config, r))
                                                  : std::nullopt;
               if (!body) throw_not_found("No such calendar.");
               return calendar_response(std::move(*body), "watchparty.ics");
             });
  routes.add("GET", "/api/events/{id}/", "An event, with counts and my attendance", U, get_event);
  routes.add("PUT", "/api/events/{id}/", "Replace an event's fields (organizer; ?scope=following for the series)", U,
             put_event);
  routes.add("PATCH", "/api/events/{id}/", "Change some of an event's fields (organizer; ?scope=following)", U,
             patch_event);
  routes.add("DELETE", "/api/events/{id}/", "Delete an event (organizer; ?scope=following)", U, delete_event);
  routes.add("POST", "/api/events/{id}/join/", "Join: going, pending approval, or waitlisted", U, join_event);
  routes.add("POST", "/api/events/{id}/leave/", "Leave an event (the first on the waitlist moves up)", U, leave_event);
  routes.add("GET", "/api/events/{id}/attendees/", "Attendees with their status (?status=)", U, list_attendees);
  routes.add("POST", "/api/events/{id}/attendees/{user_id}/approve/", "Approve a request (organizer)", U, approve);
  routes.add("POST", "/api/events/{id}/attendees/{user_id}/reject/", "Reject a request (organizer)", U, reject);
  routes.add("PATCH", "/api/events/{id}/preferences/", "My attendee preferences (reminder offsets)", U,
             set_preferences);
  routes.add("POST", "/api/events/{id}/invite/", "Invite a user (organizer; attendees if the settings allow)", U,
             invite);
  routes.add("POST", "/api/events/{id}/invitation/accept/", "Accept my invitation (I join the event)", U,
             accept_invitation);
  routes.add("POST", "/api/events/{id}/invitation/decline/", "Decline my invitation", U, decline_invitation);
  routes.add("POST", "/api/events/{id}/rsvp/", "RSVP going, maybe or not_going, with a note", U, rsvp);
  routes.add("GET", "/api/events/{id}/ical/", "The event as iCalendar (RFC 5545)", U,
             [&config](EventsService& s, Request& r) {
               return calendar_response(s.ical(r.current_user(), r.param("id"), base_url(config, r)),
                                        "event-" + r.param("id") + ".ics");
             });
}

}  // namespace wp::events
