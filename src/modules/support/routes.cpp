// Tickets, replies and attachments (docs/api.md, "Support").
#include "modules/support/routes.hpp"

#include "core/fields.hpp"
#include "http/attachment_transfer.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/multipart_file.hpp"
#include "http/pagination.hpp"
#include "modules/support/dto.hpp"
#include "modules/support/route_helpers.hpp"

namespace wp::support {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kSubjectMax = 200, kTextMax = 10000, kNotesMax = 10000;
constexpr std::size_t kMaxAttachments = 10;

json::object ticket_view(SupportService& svc, const Principal& me, const TicketRow& t) {
  return ticket_json(t, me.staff(), svc.settings(), svc.ticket_attachments(me, t));
}

TicketFilter filter_from(const Request& req) {
  TicketFilter f;
  f.status = enum_query<TicketStatus>(req, "status");
  f.priority = enum_query<TicketPriority>(req, "priority");
  f.category = enum_query<TicketCategory>(req, "category");
  if (auto o = enum_query<TicketOrdering>(req, "ordering")) f.ordering = *o;
  if (auto q = req.query("search"); q && !q->empty()) f.search = q->substr(0, kSearchMax);
  return f;
}

Response tickets_page(SupportService& svc, const Request& req, const std::vector<TicketRow>& rows,
                      const http::Page& page, long long count) {
  json::array out;
  for (auto& t : rows) out.push_back(ticket_json(t, req.current_user().staff(), svc.settings()));
  return http::paginated(req, page, count, std::move(out));
}

Response list_tickets(SupportService& svc, Request& req, const TicketFilter& filter) {
  auto page = http::parse_page(req);
  long long count = 0;
  auto rows = svc.mine(req.current_user(), filter, page.size, page.offset(), count);
  return tickets_page(svc, req, rows, page, count);
}

Response list_mine(SupportService& svc, Request& req) { return list_tickets(svc, req, filter_from(req)); }

Response staff_queue(SupportService& svc, Request& req) {
  auto page = http::parse_page(req);
  auto f = filter_from(req);
  if (!req.query("ordering")) f.ordering = TicketOrdering::priority;
  if (auto a = req.query("assignee"); a && !a->empty()) {
    if (*a == "me") f.assignee = req.current_user().id;
    else if (is_uuid(*a)) f.assignee = validators::lower(*a);
    else throw_validation("assignee", "Must be a user id or me.");
  }
  if (auto u = req.query("unassigned")) f.unassigned = *u == "true" || *u == "1";
  long long count = 0;
  auto rows = svc.queue(req.current_user(), f, page.size, page.offset(), count);
  return tickets_page(svc, req, rows, page, count);
}

TicketInput ticket_input(const Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  TicketInput in;
  in.subject = f.required_string("subject", 1, kSubjectMax);
  in.description = f.required_string("description", 1, kTextMax);
  auto category = enum_field<TicketCategory>(f, body, "category");
  if (!category && !body.contains("category")) f.add_error("category", "This field is required.");
  if (!category && body.contains("category") && body.at("category").is_null())
    f.add_error("category", "This field is required.");
  in.priority = enum_field<TicketPriority>(f, body, "priority").value_or(TicketPriority::normal);
  in.moderation_action_id = id_field(f, "moderation_action_id");
  in.attachment_ids = f.optional_id_list("attachment_ids", kMaxAttachments);
  f.done();
  in.category = *category;
  return in;
}

Response create_ticket(SupportService& svc, Request& req) {
  auto t = svc.create(req.current_user(), ticket_input(req));
  return http::json_response(ticket_view(svc, req.current_user(), t), 201);
}

// ---- appeals of a user who cannot log in (suspended, banned): the X-Appeal-Token
// header names them (a refused login's details.appeal_token); only appeal tickets.

template <class Handler>
auto as_appellant(Handler handler) {
  return [handler](SupportService& svc, Request& req) {
    req.user = svc.appellant(std::string(req.header("X-Appeal-Token").value_or("")));
    return handler(svc, req);
  };
}

Response create_appeal(SupportService& svc, Request& req) {
  auto in = ticket_input(req);
  if (in.category != TicketCategory::appeal) throw_validation("category", "Only an appeal can be opened here.");
  auto t = svc.create(req.current_user(), in);
  return http::json_response(ticket_view(svc, req.current_user(), t), 201);
}

Response list_appeals(SupportService& svc, Request& req) {
  TicketFilter f;
  f.category = TicketCategory::appeal;
  return list_tickets(svc, req, f);
}

template <class Handler>
auto on_appeal(Handler handler) {
  return as_appellant([handler](SupportService& svc, Request& req) {
    svc.require_appeal(req.current_user(), req.param("id"));
    return handler(svc, req);
  });
}

Response get_ticket(SupportService& svc, Request& req) {
  auto t = svc.get(req.current_user(), req.param("id"));
  return http::json_response(ticket_view(svc, req.current_user(), t));
}

Response patch_ticket(SupportService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  TicketChange c;
  c.status = enum_field<TicketStatus>(f, body, "status");
  c.priority = enum_field<TicketPriority>(f, body, "priority");
  c.category = enum_field<TicketCategory>(f, body, "category");
  c.admin_notes = f.optional_string("admin_notes", kNotesMax);
  f.done();
  auto t = svc.change(req.current_user(), req.param("id"), c);
  return http::json_response(ticket_view(svc, req.current_user(), t));
}

Response move_to(SupportService& svc, Request& req, TicketStatus to) {
  TicketChange c;
  c.status = to;
  auto t = svc.change(req.current_user(), req.param("id"), c);
  return http::json_response(ticket_view(svc, req.current_user(), t));
}

Response assign(SupportService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  if (!body.contains("assignee_id")) f.add_error("assignee_id", "This field is required (null unassigns).");
  auto assignee = id_field(f, "assignee_id");
  f.done();
  auto t = svc.assign(req.current_user(), req.param("id"), assignee);
  return http::json_response(ticket_view(svc, req.current_user(), t));
}

Response list_replies(SupportService& svc, Request& req) {
  auto page = http::parse_page(req, 50);
  long long count = 0;
  json::array out;
  for (auto& r : svc.replies(req.current_user(), req.param("id"), page.size, page.offset(), count))
    out.push_back(reply_json(r));
  return http::paginated(req, page, count, std::move(out));
}

Response add_reply(SupportService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  ReplyInput in;
  in.content = f.required_string("content", 1, kTextMax);
  in.is_internal = f.optional_bool("is_internal").value_or(false);
  in.attachment_ids = f.optional_id_list("attachment_ids", kMaxAttachments);
  f.done();
  return http::json_response(reply_json(svc.reply(req.current_user(), req.param("id"), in)), 201);
}

Response summary(SupportService& svc, Request& req) {
  int days = int_query(req, "days", 1, 365).value_or(30);
  return http::json_response(summary_json(svc.summary(req.current_user(), days), days));
}

Response upload(SupportService& svc, Request& req) {
  http::StagedFile staged{svc.staging_path()};
  auto filename = http::receive_attachment(req, staged.path, svc.settings().max_attachment_bytes);
  return http::json_response(attachment_json(svc.upload(req.current_user(), staged.path, filename)), 201);
}

Response download(SupportService& svc, Request& req, bool thumbnail) {
  auto [a, path] = svc.attachment_file(req.current_user(), req.param("id"), thumbnail);
  return http::attachment_download(req, path, thumbnail, a.mime_type, a.filename, a.kind);
}

}  // namespace

Settings settings_from(const Config& c) {
  Settings s;
  s.reopen_days = c.support_reopen_days;
  // The same limits as message attachments: one policy for what users upload.
  s.max_attachment_bytes = c.message_attachment_max_bytes;
  s.attachment_ttl_ms = std::int64_t{c.message_attachment_ttl_s} * 1000;
  s.data_dir = c.data_dir;
  s.ffmpeg = c.ffmpeg_path;
  return s;
}

void add_routes(http::Router& router, SupportService& svc) {
  const auto U = Access::user, S = Access::staff;
  const std::int64_t upload_body = svc.settings().max_attachment_bytes + 64 * 1024;  // multipart framing
  http::ModuleRoutes routes(router, svc, "support");
  routes.add("GET", "/api/support/tickets/", "My support tickets (status, priority, category, search, ordering)", U,
             list_mine);
  routes.add("POST", "/api/support/tickets/", "Open a support ticket (an appeal names its moderation action)", U,
             create_ticket);
  routes.add("GET", "/api/support/tickets/{id}/", "A ticket (its owner or staff)", U, get_ticket);
  routes.add("PATCH", "/api/support/tickets/{id}/",
             "Change a ticket: status (owner: close or reopen), priority, category, admin_notes (staff)", U,
             patch_ticket);
  routes.add("POST", "/api/support/tickets/{id}/close/", "Close a ticket (owner or staff)", U,
             [](SupportService& s, Request& r) { return move_to(s, r, TicketStatus::closed); });
  routes.add("POST", "/api/support/tickets/{id}/reopen/",
             "Reopen a resolved or closed ticket (owner within support_reopen_days, or staff)", U,
             [](SupportService& s, Request& r) { return move_to(s, r, TicketStatus::open); });
  routes.add("POST", "/api/support/tickets/{id}/assign/", "Assign a ticket to a staff member, or null (staff)", S,
             assign);
  routes.add("GET", "/api/support/tickets/{id}/replies/", "A ticket's replies (internal notes for staff only)", U,
             list_replies);
  routes.add("POST", "/api/support/tickets/{id}/replies/", "Reply to a ticket (staff: is_internal for a note)", U,
             add_reply);
  routes.add("POST", "/api/support/attachments/", "Upload a ticket or feedback attachment (multipart, field file)", U,
             upload, {.max_body = upload_body, .body_to_file = true});
  routes.add("GET", "/api/support/attachments/{id}/", "Download a support attachment (ranges)", U,
             [](SupportService& s, Request& r) { return download(s, r, false); });
  routes.add("GET", "/api/support/attachments/{id}/thumbnail/", "An image attachment's thumbnail", U,
             [](SupportService& s, Request& r) { return download(s, r, true); });
  routes.add("GET", "/api/support/staff/tickets/",
             "The staff ticket queue (status, priority, category, assignee, unassigned, search, ordering)", S,
             staff_queue);
  const auto A = Access::anonymous;  // the appeal token authenticates these
  routes.add("GET", "/api/support/appeals/", "My appeal tickets, for a user who cannot log in (X-Appeal-Token)", A,
             as_appellant(list_appeals));
  routes.add("POST", "/api/support/appeals/", "Open an appeal without a login (X-Appeal-Token; category appeal)", A,
             as_appellant(create_appeal));
  routes.add("GET", "/api/support/appeals/{id}/replies/", "An appeal's replies (X-Appeal-Token)", A,
             on_appeal(list_replies));
  routes.add("POST", "/api/support/appeals/{id}/replies/", "Reply to an appeal (X-Appeal-Token)", A,
             on_appeal(add_reply));
  routes.add("GET", "/api/support/staff/summary/", "Queue counts and time to first staff reply (?days=30)", S,
             summary);
}

}  // namespace wp::support
