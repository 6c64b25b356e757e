#include "modules/parties/calls_routes.hpp"

#include <boost/json.hpp>

#include "core/fields.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/parties/calls_protocol.hpp"

namespace wp::parties {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::object call_json(const CallView& v) {
  json::array members, shares;
  for (auto& m : v.call.members) members.push_back(protocol::call_member_json(m));
  for (auto& s : v.call.shares) shares.push_back(protocol::share_json(s));
  return {{"party_id", v.call.chat.party_id},
          {"version", v.call.chat.version},
          {"open", v.call.chat.open()},
          {"mode", to_string(v.call.chat.mode())},
          {"voice_chat", to_string(v.opener)},
          {"mesh_max", v.mesh_max},
          {"sfu_available", v.sfu_available},
          {"max_sharers", v.max_sharers},
          {"members", std::move(members)},
          {"shares", std::move(shares)},
          {"me", v.me ? json::value(protocol::call_member_json(*v.me)) : json::value(nullptr)}};
}

Response get_call(CallsService& svc, Request& req) {
  return http::json_response(call_json(svc.state(req.current_user(), req.param("id"))));
}

Response join_call(CallsService& svc, Request& req) {
  auto joined = svc.join(req.current_user(), req.param("id"));
  auto out = call_json(joined.view);
  out["ice_servers"] = json::parse(joined.ice_servers_json);
  out["sfu"] = joined.sfu ? json::value(protocol::sfu_json(*joined.sfu)) : json::value(nullptr);
  return http::json_response(out);
}

Response leave_call(CallsService& svc, Request& req) {
  svc.leave(req.current_user(), req.param("id"));
  return http::success_response();
}

Response update_me(CallsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto muted = f.optional_bool("muted");
  auto deafened = f.optional_bool("deafened");
  f.done();
  return http::json_response(protocol::call_member_json(svc.set_self(req.current_user(), req.param("id"), muted, deafened)));
}

Response server_mute(CallsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto muted = f.optional_bool("muted").value_or(true);
  f.done();
  return http::json_response(
      protocol::call_member_json(svc.server_mute(req.current_user(), req.param("id"), req.param("user_id"), muted)));
}

Response ice_servers(CallsService& svc, Request& req) {
  return http::json_response(json::object{{"ice_servers", json::parse(svc.ice_servers(req.current_user(), req.param("id")))}});
}

Response list_shares(CallsService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& s : svc.shares(req.current_user(), req.param("id"), page.size, page.offset(), count))
    out.push_back(protocol::share_json(s));
  return http::paginated(req, page, count, std::move(out));
}

Response start_share(CallsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto kind_text = f.optional_string("kind", 16).value_or("screen");
  f.done();
  auto kind = require_enum<ShareKind>("kind", kind_text);
  return http::json_response(protocol::share_json(svc.start_share(req.current_user(), req.param("id"), kind)), 201);
}

Response stop_share(CallsService& svc, Request& req) {
  return http::json_response(
      protocol::share_json(svc.stop_share(req.current_user(), req.param("id"), req.param("share_id"))));
}

}  // namespace

void add_call_routes(http::Router& router, CallsService& svc) {
  http::ModuleRoutes routes(router, svc, "parties");
  constexpr auto U = Access::user;
  routes.add("GET", "/api/parties/{id}/call/", "The party's voice chat: members, live shares, limits (members)", U,
             get_call);
  routes.add("POST", "/api/parties/{id}/call/join/", "Join the voice chat (needs the party socket open)", U, join_call);
  routes.add("POST", "/api/parties/{id}/call/leave/", "Leave the voice chat", U, leave_call);
  routes.add("PATCH", "/api/parties/{id}/call/me/", "Mute or deafen myself in the voice chat", U, update_me);
  routes.add("POST", "/api/parties/{id}/call/members/{user_id}/server-mute/",
             "Server-mute or unmute a member of the voice chat (host or moderator)", U, server_mute);
  routes.add("GET", "/api/parties/{id}/call/ice-servers/", "STUN and TURN servers with fresh credentials (call members)",
             U, ice_servers);
  routes.add("GET", "/api/parties/{id}/call/shares/", "The party's screen shares, newest first (members)", U,
             list_shares);
  routes.add("POST", "/api/parties/{id}/call/shares/", "Start sharing my screen, a window or a tab (call members)", U,
             start_share);
  routes.add("POST", "/api/parties/{id}/call/shares/{share_id}/stop/",
             "Stop a share (the sharer, the host or a moderator)", U, stop_share);
}

}  // namespace wp::parties
