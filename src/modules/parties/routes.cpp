#include "modules/parties/routes.hpp"

#include "core/clock.hpp"
#include "core/fields.hpp"
#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/parties/dto.hpp"
#include "modules/parties/protocol.hpp"
#include "modules/parties/socket.hpp"

namespace wp::parties {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

// One room of 10,000 on one node is a measured figure (bench/RESULTS.md); the host's plan may allow fewer.
constexpr long long kMaxSeats = 10000;

// An optional vocabulary field: an unknown value is a field error listing the allowed ones.
template <class E>
std::optional<E> optional_enum(Fields& f, const std::string& field) {
  auto text = f.optional_string(field, 32);
  if (!text) return std::nullopt;
  if (auto e = parse_enum<E>(*text)) return e;
  f.add_error(field, "Must be one of " + enum_choices<E>() + ".");
  return std::nullopt;
}

template <class E>
std::optional<E> query_enum(Request& req, const std::string& name) {
  auto text = req.query(name);
  if (!text) return std::nullopt;
  return require_enum<E>(name, *text);
}

// Checks the known settings keys; returns them as an object to merge.
std::optional<json::object> read_settings(Fields& f) {
  auto s = f.optional_object("settings");
  if (!s) return s;
  for (auto& [k, v] : *s) {
    if (k == "control") {
      if (!v.is_string() || !parse_enum<ControlMode>(std::string_view(v.as_string())))
        f.add_error("settings", "control must be one of " + enum_choices<ControlMode>() + ".");
    } else if (k == "chat_enabled" || k == "reactions_enabled" || k == "wait_for_buffering" || k == "require_approval") {
      if (!v.is_bool()) f.add_error("settings", std::string(k) + " must be true or false.");
    } else if (k == "slow_mode_seconds") {
      if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > 3600)
        f.add_error("settings", "slow_mode_seconds must be an integer from 0 to 3600.");
    } else if (k == "voice_chat") {
      if (!v.is_string() || !parse_enum<VoiceOpener>(std::string_view(v.as_string())))
        f.add_error("settings", "voice_chat must be one of " + enum_choices<VoiceOpener>() + ".");
    } else {
      f.add_error("settings", "Unknown setting " + std::string(k) + ".");
    }
  }
  return s;
}

Response party_response(const PartyRow& p, int status = 200) { return http::json_response(party_json(p), status); }

Response list_parties(PartiesService& svc, Request& req) {
  auto page = http::parse_page(req);
  PartyFilter f;
  f.status = query_enum<PartyStatus>(req, "status");
  f.visibility = query_enum<Visibility>(req, "visibility");
  f.search = req.query("search");
  f.mine = req.query("mine").value_or("") == "true";
  f.hosting = req.query("hosting").value_or("") == "true";
  long long count = 0;
  json::array out;
  for (auto& p : svc.list(req.current_user(), f, page.size, page.offset(), count)) out.push_back(party_json(p));
  return http::paginated(req, page, count, std::move(out));
}

Response public_parties(PartiesService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& p : svc.list_public(page.size, page.offset(), count)) out.push_back(party_json(p));
  return http::paginated(req, page, count, std::move(out));
}

Response group_parties(PartiesService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& p : svc.group_parties(req.current_user(), req.param("id"), page.size, page.offset(), count))
    out.push_back(party_json(p));
  return http::paginated(req, page, count, std::move(out));
}

Response create_party(PartiesService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  CreateInput in;
  in.title = f.required_string("title", 1, 200);
  in.description = f.optional_string("description", 2000).value_or("");
  in.visibility = optional_enum<Visibility>(f, "visibility").value_or(Visibility::public_);
  in.video_id = f.optional_string("video_id", 36);
  if (in.video_id && !is_uuid(*in.video_id)) f.add_error("video_id", "Must be a UUID.");
  in.media_url = f.optional_string("media_url", 2000);
  if (in.media_url && in.media_url->rfind("http://", 0) != 0 && in.media_url->rfind("https://", 0) != 0)
    f.add_error("media_url", "Must be an http(s) URL.");
  if (auto m = f.optional_int("max_participants", 2, kMaxSeats)) in.max_participants = static_cast<int>(*m);
  if (auto s = f.optional_string("scheduled_start", 40)) {
    if (auto t = parse_rfc3339(*s))
      in.scheduled_start = *t;
    else
      f.add_error("scheduled_start", "Must be an RFC 3339 time.");
  }
  in.settings = read_settings(f);
  in.group_id = f.optional_string("group_id", 36);
  if (in.group_id && !is_uuid(*in.group_id)) f.add_error("group_id", "Must be a UUID.");
  f.done();
  if (in.group_id) std::transform(in.group_id->begin(), in.group_id->end(), in.group_id->begin(), ::tolower);
  if (in.video_id) {
    std::transform(in.video_id->begin(), in.video_id->end(), in.video_id->begin(), ::tolower);
  }
  return party_response(svc.create(req.current_user(), in), 201);
}

Response get_party(PartiesService& svc, Request& req) { return party_response(svc.get(req.current_user(), req.param("id"))); }

Response patch_party(PartiesService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  PatchInput in;
  in.title = f.optional_string("title", 200);
  if (in.title && in.title->empty()) f.add_error("title", "This field may not be blank.");
  in.description = f.optional_string("description", 2000);
  in.visibility = optional_enum<Visibility>(f, "visibility");
  if (auto m = f.optional_int("max_participants", 2, kMaxSeats)) in.max_participants = static_cast<int>(*m);
  in.settings = read_settings(f);
  f.done();
  return party_response(svc.update(req.current_user(), req.param("id"), in));
}

Response delete_party(PartiesService& svc, Request& req) {
  svc.remove(req.current_user(), req.param("id"));
  return http::success_response();
}

Response start_party(PartiesService& svc, Request& req) { return party_response(svc.start(req.current_user(), req.param("id"))); }
Response end_party(PartiesService& svc, Request& req) { return party_response(svc.end(req.current_user(), req.param("id"))); }
// 200 with the party, or 202 with the participant (and which party, for a join by code) when the
// host must approve the join first.
Response joined_response(const Joined& j) {
  if (j.request) {
    auto body = participant_json(*j.request, false);
    body["party"] = {{"id", j.party.id}, {"title", j.party.title}};
    return http::json_response(std::move(body), 202);
  }
  return party_response(j.party);
}

Response join_party(PartiesService& svc, Request& req) { return joined_response(svc.join(req.current_user(), req.param("id"))); }

Response join_by_code(PartiesService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto code = f.required_string("code", 1, 16);
  f.done();
  return joined_response(svc.join_by_code(req.current_user(), code));
}

Response join_request(PartiesService& svc, Request& req) {
  auto r = svc.join_request(req.current_user(), req.param("id"));
  return http::json_response(json::object{{"status", to_string(r.status)},
                                          {"requested_at", http::time_or_null(r.requested_at)},
                                          {"party", {{"id", r.party.id}, {"title", r.party.title}}}});
}

Response leave_party(PartiesService& svc, Request& req) {
  svc.leave(req.current_user(), req.param("id"));
  return http::success_response();
}

Response list_participants(PartiesService& svc, Request& req) {
  auto status = query_enum<ParticipantStatus>(req, "status").value_or(ParticipantStatus::active);
  auto rows = svc.participants(req.current_user(), req.param("id"), status);
  std::vector<std::string> users;
  users.reserve(rows.size());
  for (auto& p : rows) users.push_back(p.user_id);
  auto online = svc.online_of(req.param("id"), users).among;
  json::array out;
  for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(participant_json(rows[i], online[i]));
  return http::json_response(json::object{{"count", static_cast<long long>(rows.size())}, {"results", std::move(out)}});
}

Response moderate(PartiesService& svc, Request& req, ModerationAction action) {
  auto p = svc.moderate(req.current_user(), req.param("id"), req.param("user_id"), action);
  if (!p.is_active) return http::success_response();
  return http::json_response(participant_json(p, svc.online_of(req.param("id"), {p.user_id}).among[0]));
}

Response approve(PartiesService& svc, Request& req) {
  auto p = svc.approve(req.current_user(), req.param("id"), req.param("user_id"));
  return http::json_response(participant_json(p, false));
}

Response reject(PartiesService& svc, Request& req) {
  svc.reject(req.current_user(), req.param("id"), req.param("user_id"));
  return http::success_response();
}

Response invite(PartiesService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  std::vector<std::string> ids;
  auto v = body.if_contains("user_ids");
  if (!v || !v->is_array() || v->as_array().empty() || v->as_array().size() > 100) {
    f.add_error("user_ids", "A list of 1 to 100 user ids is required.");
  } else {
    for (auto& id : v->as_array()) {
      if (!id.is_string() || !is_uuid(id.as_string())) {
        f.add_error("user_ids", "Every entry must be a user id (UUID).");
        break;
      }
      ids.emplace_back(id.as_string());
    }
  }
  f.done();
  return http::success_response({{"invited", svc.invite(req.current_user(), req.param("id"), ids)}});
}

Response my_invitations(PartiesService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& i : svc.invitations(req.current_user(), page.size, page.offset(), count)) out.push_back(invitation_json(i));
  return http::paginated(req, page, count, std::move(out));
}

Response accept_invitation(PartiesService& svc, Request& req) {
  return party_response(svc.respond_invitation(req.current_user(), req.param("id"), true));
}

Response decline_invitation(PartiesService& svc, Request& req) {
  svc.respond_invitation(req.current_user(), req.param("id"), false);
  return http::success_response();
}

Response chat_history(PartiesService& svc, Request& req) {
  auto page = http::parse_page(req, 50);
  auto before = req.query("before");
  if (before && !is_uuid(*before)) throw_validation("before", "Must be a message id.");
  auto rows = svc.chat_history(req.current_user(), req.param("id"), before, page.size);
  json::value next = rows.size() == static_cast<std::size_t>(page.size) ? json::value(rows.back().id) : json::value(nullptr);
  return http::json_response(json::object{{"results", messages_json(rows)}, {"next_before", next}});
}

Response post_chat(PartiesService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto content = f.required_string("content", 1, 1000);
  f.done();
  return http::json_response(message_json(svc.post_chat(req.current_user(), req.param("id"), content)), 201);
}

Response react(PartiesService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto emoji = f.required_string("emoji", 1, 16);
  auto ts = f.optional_number("video_timestamp", 0, 1e7).value_or(0);
  f.done();
  return http::json_response(reaction_json(svc.react(req.current_user(), req.param("id"), emoji, ts)), 201);
}

Response reaction_counts(PartiesService& svc, Request& req) {
  json::object counts;
  for (auto& [emoji, n] : svc.reaction_counts(req.current_user(), req.param("id"))) counts[emoji] = n;
  return http::json_response(json::object{{"counts", std::move(counts)}});
}

Response report(PartiesService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto reason = f.required_string("reason", 1, 32);
  if (!reason.empty() && !parse_enum<ReportReason>(reason))
    f.add_error("reason", "Must be one of " + enum_choices<ReportReason>() + ".");
  auto description = f.optional_string("description", 2000).value_or("");
  f.done();
  auto id = svc.report(req.current_user(), req.param("id"), reason, description);
  return http::json_response(json::object{{"id", id}, {"status", "open"}}, 201);
}

// A plain GET of the WebSocket route.
Response not_upgraded(Request&) {
  throw Error(ErrorCode::validation, "This is a WebSocket endpoint: send an Upgrade request.");
}

Response sync_state(PartiesService& svc, Request& req) {
  auto pb = protocol::playback_json(svc.sync_state(req.current_user(), req.param("id")));
  pb["server_time"] = now_ms_precise();
  return http::json_response(pb);
}

}  // namespace

void add_routes(http::Router& router, PartiesService& svc, BlockingPool& pool) {
  const auto A = Access::anonymous, U = Access::user;
  http::ModuleRoutes routes(router, svc, "parties");
  routes.add("GET", "/api/parties/", "Parties I may see, with filters", U, list_parties);
  routes.add("POST", "/api/parties/", "Create a party (I become its host)", U, create_party);
  routes.add("GET", "/api/parties/public/", "Live and scheduled public parties", A, public_parties);
  routes.add("POST", "/api/parties/join-by-code/", "Join a party by its room code", U, join_by_code);
  routes.add("GET", "/api/parties/invitations/", "My pending party invitations", U, my_invitations);
  routes.add("POST", "/api/parties/invitations/{id}/accept/", "Accept an invitation and join", U, accept_invitation);
  routes.add("POST", "/api/parties/invitations/{id}/decline/", "Decline an invitation", U, decline_invitation);
  routes.add("GET", "/api/parties/{id}/", "A party", U, get_party);
  routes.add("PATCH", "/api/parties/{id}/", "Change a party (host or moderator)", U, patch_party);
  routes.add("DELETE", "/api/parties/{id}/", "Delete a party (host)", U, delete_party);
  routes.add("POST", "/api/parties/{id}/start/", "Start a scheduled party (host)", U, start_party);
  routes.add("POST", "/api/parties/{id}/end/", "End a party (host)", U, end_party);
  routes.add("POST", "/api/parties/{id}/join/", "Join a party", U, join_party);
  routes.add("POST", "/api/parties/{id}/leave/", "Leave a party", U, leave_party);
  routes.add("GET", "/api/parties/{id}/join-request/", "Where my join request stands (none, pending, rejected, active)",
             U, join_request);
  routes.add("GET", "/api/parties/{id}/participants/",
             "Active participants with roles and presence (?status=pending: join requests)", U, list_participants);
  routes.add("POST", "/api/parties/{id}/participants/{user_id}/approve/",
             "Admit a pending join request (host, moderator)", U, approve);
  routes.add("POST", "/api/parties/{id}/participants/{user_id}/reject/",
             "Refuse a pending join request (host, moderator)", U, reject);
  for (auto [action, name] : enum_names<ModerationAction>.items) {
    std::string a(name);
    routes.add("POST", "/api/parties/{id}/participants/{user_id}/" + a + "/", "Moderate a participant: " + a, U,
               [action](PartiesService& s, Request& r) { return moderate(s, r, action); });
  }
  routes.add("POST", "/api/parties/{id}/invite/", "Invite users", U, invite);
  routes.add("GET", "/api/parties/{id}/chat/", "Chat history, newest first, with a before cursor", U, chat_history);
  routes.add("POST", "/api/parties/{id}/chat/", "Send a chat message", U, post_chat);
  routes.add("POST", "/api/parties/{id}/react/", "Send a reaction", U, react);
  routes.add("GET", "/api/parties/{id}/react/", "Reaction counts by emoji", U, reaction_counts);
  routes.add("POST", "/api/parties/{id}/report/", "Report a party", U, report);
  routes.add("GET", "/api/parties/{id}/sync_state/", "The playback state", U, sync_state);
  routes.add("GET", "/api/groups/{id}/parties/", "The parties of a group I may see (members only for a private group)",
             U, group_parties);
  routes.add("GET", "/ws/party/{id}/", "Party WebSocket (docs/realtime.md); token in ?token= or the cookie", U,
             not_upgraded, {.ws_open = [&svc, &pool](Request& req, std::shared_ptr<realtime::Connection> conn)
                                -> std::shared_ptr<realtime::Endpoint> {
               auto last = req.query("last_message_id");
               if (last && !is_uuid(*last)) last.reset();
               auto room = svc.connect(req.current_user(), req.param("id"), conn, last);
               return std::make_shared<PartySocket>(svc, pool, room, req.current_user(), conn);
             }});
}

}  // namespace wp::parties
