#include "modules/groups/routes.hpp"


#include "core/fields.hpp"
#include "core/ids.hpp"
#include "core/validators.hpp"
#include "http/file_response.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/multipart.hpp"
#include "http/pagination.hpp"
#include "modules/groups/dto.hpp"
#include "modules/groups/policy.hpp"

namespace wp::groups {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kNameMax = 100, kDescriptionMax = 2000, kCategoryMax = 50;

// The settings object of a body, its keys and values checked; nullopt when absent.
std::optional<json::object> read_settings(Fields& f) {
  auto s = f.optional_object("settings");
  if (s) f.merge(check_settings(*s));
  return s;
}

Response group_response(const GroupRow& g, int status = 200) { return http::json_response(group_json(g), status); }

Response membership_response(GroupsService& svc, const MembershipRow& m, int status = 200) {
  auto g = svc.existing(m.group_id);
  return http::json_response(membership_json(m, parse_settings(g.settings)), status);
}

Response group_list(GroupsService& svc, Request& req, bool mine) {
  auto page = http::parse_page(req);
  GroupFilter f;
  f.search = req.query("search");
  f.category = req.query("category");
  f.mine = mine || req.query("mine").value_or("") == "true";
  long long count = 0;
  json::array out;
  for (auto& g : svc.list(req.current_user(), f, page.size, page.offset(), count)) out.push_back(group_json(g));
  return http::paginated(req, page, count, std::move(out));
}

Response list_groups(GroupsService& svc, Request& req) { return group_list(svc, req, false); }
Response my_groups(GroupsService& svc, Request& req) { return group_list(svc, req, true); }

Response create_group(GroupsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  CreateInput in;
  in.name = f.required_string("name", 1, kNameMax);
  in.description = f.optional_string("description", kDescriptionMax).value_or("");
  in.category = f.optional_string("category", kCategoryMax).value_or("");
  in.is_private = f.optional_bool("is_private").value_or(false);
  in.settings = read_settings(f);
  f.done();
  return group_response(svc.create(req.current_user(), in), 201);
}

Response get_group(GroupsService& svc, Request& req) {
  return http::json_response(group_view_json(svc.get(req.current_user(), req.param("id"))));
}

Response patch_group(GroupsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  PatchInput in;
  in.name = f.optional_string("name", kNameMax);
  if (in.name && in.name->empty()) f.add_error("name", "This field may not be blank.");
  in.description = f.optional_string("description", kDescriptionMax);
  in.category = f.optional_string("category", kCategoryMax);
  in.is_private = f.optional_bool("is_private");
  in.settings = read_settings(f);
  f.done();
  return group_response(svc.update(req.current_user(), req.param("id"), in));
}

Response delete_group(GroupsService& svc, Request& req) {
  svc.remove(req.current_user(), req.param("id"));
  return http::success_response();
}

Response upload_avatar(GroupsService& svc, Request& req) {
  svc.check_admin(req.current_user(), req.param("id"));
  auto parts = http::parse_multipart(req);
  auto file = http::find_part(parts, "file");
  if (!file) throw_validation("file", "This field is required.");
  return group_response(svc.set_avatar(req.current_user(), req.param("id"), file->data));
}

Response get_avatar(GroupsService& svc, Request& req) {
  return http::serve_image(req, svc.avatar_path(req.param("id")), "No avatar.");
}

// 200 with the membership when active, 202 when it is a request awaiting approval.
Response join_group(GroupsService& svc, Request& req) {
  auto m = svc.join(req.current_user(), req.param("id"));
  return membership_response(svc, m, m.status == MemberStatus::pending ? 202 : 200);
}

Response leave_group(GroupsService& svc, Request& req) {
  svc.leave(req.current_user(), req.param("id"));
  return http::success_response();
}

Response invite(GroupsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto user_id = f.required_string("user_id", 1, 36);
  if (!user_id.empty() && !is_uuid(user_id)) f.add_error("user_id", "Must be a user id (UUID).");
  f.done();
  return membership_response(svc, svc.invite(req.current_user(), req.param("id"), validators::lower(user_id)), 201);
}

Response accept_invitation(GroupsService& svc, Request& req) {
  return membership_response(svc, svc.accept_invitation(req.current_user(), req.param("id")));
}

Response decline_invitation(GroupsService& svc, Request& req) {
  svc.decline_invitation(req.current_user(), req.param("id"));
  return http::success_response();
}

Response my_invitations(GroupsService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& i : svc.invitations(req.current_user(), page.size, page.offset(), count)) out.push_back(invitation_json(i));
  return http::paginated(req, page, count, std::move(out));
}

template <class List>
Response member_page(GroupsService& svc, Request& req, List list) {
  auto page = http::parse_page(req);
  long long count = 0;
  auto rows = (svc.*list)(req.current_user(), req.param("id"), page.size, page.offset(), count);
  auto settings = parse_settings(svc.existing(req.param("id")).settings);
  json::array out;
  for (auto& m : rows) out.push_back(membership_json(m, settings));
  return http::paginated(req, page, count, std::move(out));
}

Response list_members(GroupsService& svc, Request& req) { return member_page(svc, req, &GroupsService::members); }
Response list_requests(GroupsService& svc, Request& req) { return member_page(svc, req, &GroupsService::requests); }

Response approve(GroupsService& svc, Request& req) {
  return membership_response(svc, svc.approve(req.current_user(), req.param("id"), req.param("user_id")));
}

Response reject(GroupsService& svc, Request& req) {
  svc.reject(req.current_user(), req.param("id"), req.param("user_id"));
  return http::success_response();
}

Response moderate(GroupsService& svc, Request& req, ModerationAction action) {
  auto m = svc.moderate(req.current_user(), req.param("id"), req.param("user_id"), action);
  if (!m) return http::success_response();
  return membership_response(svc, *m);
}

Response patch_member(GroupsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto permissions = f.optional_object("permissions");
  if (!permissions) f.add_error("permissions", "This field is required.");
  if (permissions) f.merge(check_permissions(*permissions));
  f.done();
  return membership_response(
      svc, svc.set_permissions(req.current_user(), req.param("id"), req.param("user_id"), *permissions));
}

}  // namespace

void add_routes(http::Router& router, GroupsService& svc) {
  const auto A = Access::anonymous, U = Access::user;
  http::ModuleRoutes routes(router, svc, "groups");
  routes.add("GET", "/api/groups/", "Groups I may see (public, and private ones I am in), with search", U, list_groups);
  routes.add("POST", "/api/groups/", "Create a group (I become its admin)", U, create_group);
  routes.add("GET", "/api/groups/mine/", "Groups I am an active member of", U, my_groups);
  routes.add("GET", "/api/groups/invitations/", "My pending group invitations", U, my_invitations);
  routes.add("GET", "/api/groups/{id}/", "A group, with my membership", U, get_group);
  routes.add("PATCH", "/api/groups/{id}/", "Change a group (admin)", U, patch_group);
  routes.add("DELETE", "/api/groups/{id}/", "Delete a group (admin)", U, delete_group);
  routes.add("POST", "/api/groups/{id}/avatar/", "Upload the group's avatar (admin; multipart, field file)", U,
             upload_avatar, {.max_body = 3 * 1024 * 1024});
  routes.add("GET", "/api/groups/{id}/avatar/", "A group's avatar image", A, get_avatar);
  routes.add("POST", "/api/groups/{id}/join/", "Join a public group, or ask to join a private one", U, join_group);
  routes.add("POST", "/api/groups/{id}/leave/", "Leave a group, or withdraw my request or invitation", U, leave_group);
  routes.add("POST", "/api/groups/{id}/invite/", "Invite a user (holders of invite)", U, invite);
  routes.add("POST", "/api/groups/{id}/invitation/accept/", "Accept my invitation to a group", U, accept_invitation);
  routes.add("POST", "/api/groups/{id}/invitation/decline/", "Decline my invitation to a group", U, decline_invitation);
  routes.add("GET", "/api/groups/{id}/members/", "Active members with roles (members only for a private group)", U,
             list_members);
  routes.add("GET", "/api/groups/{id}/requests/", "Pending join requests (holders of approve)", U, list_requests);
  routes.add("POST", "/api/groups/{id}/requests/{user_id}/approve/", "Approve a join request (holders of approve)", U,
             approve);
  routes.add("POST", "/api/groups/{id}/requests/{user_id}/reject/", "Reject a join request (holders of approve)", U,
             reject);
  routes.add("PATCH", "/api/groups/{id}/members/{user_id}/", "Set a member's permissions (admin)", U, patch_member);
  for (auto [action, name] : enum_names<ModerationAction>.items) {
    std::string a(name);
    routes.add("POST", "/api/groups/{id}/members/{user_id}/" + a + "/", "Moderate a member: " + a, U,
               [action](GroupsService& s, Request& r) { return moderate(s, r, action); });
  }
}

}  // namespace wp::groups
