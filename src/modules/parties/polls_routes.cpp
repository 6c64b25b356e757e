#include "modules/parties/polls_routes.hpp"

#include "core/clock.hpp"
#include "core/fields.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/parties/dto.hpp"
#include "modules/parties/polls_protocol.hpp"

namespace wp::parties {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxQuestion = 300, kMaxOption = 100;
constexpr std::int64_t kMaxDurationS = 7 * 24 * 3600;

// The poll, my choices, and (named polls only) who chose each option.
json::object poll_view_json(const PollView& v) {
  auto o = protocol::poll_json(v.poll, now_ms());
  json::array mine;
  for (auto& id : v.my_choices) mine.push_back(json::value(id));
  o["my_votes"] = std::move(mine);
  if (!v.poll.anonymous) {
    auto& options = o["options"].as_array();
    for (auto& option : options) {
      json::array voters;
      for (auto& voter : v.voters)
        if (voter.option_id == option.as_object().at("id").as_string()) voters.push_back(user_ref(voter.user_id, voter.username));
      option.as_object()["voters"] = std::move(voters);
    }
  }
  return o;
}

// A list of strings under `name`, min_n to max_n of them, each 1 to max_len long.
std::vector<std::string> string_list(Fields& f, const json::object& body, const std::string& name, std::size_t min_n,
                                     std::size_t max_n, std::size_t max_len) {
  std::vector<std::string> out;
  auto v = body.if_contains(name);
  if (!v || !v->is_array() || v->as_array().size() < min_n || v->as_array().size() > max_n) {
    f.add_error(name, "A list of " + std::to_string(min_n) + " to " + std::to_string(max_n) + " entries is required.");
    return out;
  }
  for (auto& item : v->as_array()) {
    if (!item.is_string() || item.as_string().empty() || item.as_string().size() > max_len) {
      f.add_error(name, "Every entry must be a text of 1 to " + std::to_string(max_len) + " characters.");
      return {};
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

Response list_polls(PollsService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& v : svc.list(req.current_user(), req.param("id"), page.size, page.offset(), count))
    out.push_back(poll_view_json(v));
  return http::paginated(req, page, count, std::move(out));
}

Response create_poll(PollsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  CreatePollInput in;
  in.question = f.required_string("question", 1, kMaxQuestion);
  in.options = string_list(f, body, "options", 2, 10, kMaxOption);
  in.multiple_choice = f.optional_bool("multiple_choice").value_or(false);
  in.anonymous = f.optional_bool("anonymous").value_or(false);
  in.duration_s = f.optional_int("duration_seconds", 1, kMaxDurationS);
  f.done();
  return http::json_response(poll_view_json(svc.create(req.current_user(), req.param("id"), in)), 201);
}

Response vote(PollsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto ids = string_list(f, body, "option_ids", 1, 10, 36);
  f.done();
  return http::json_response(poll_view_json(svc.vote(req.current_user(), req.param("id"), req.param("poll_id"), ids)));
}

Response close_poll(PollsService& svc, Request& req) {
  return http::json_response(poll_view_json(svc.close(req.current_user(), req.param("id"), req.param("poll_id"))));
}

}  // namespace

void add_poll_routes(http::Router& router, PollsService& svc) {
  http::ModuleRoutes routes(router, svc, "parties");
  constexpr auto U = Access::user;
  routes.add("GET", "/api/parties/{id}/polls/", "The party's polls, newest first, with results (members)", U, list_polls);
  routes.add("POST", "/api/parties/{id}/polls/", "Create a poll (host or moderator)", U, create_poll);
  routes.add("POST", "/api/parties/{id}/polls/{poll_id}/vote/", "Vote, or change my vote, until the poll closes", U,
             vote);
  routes.add("POST", "/api/parties/{id}/polls/{poll_id}/close/", "Close a poll (host or moderator)", U, close_poll);
}

}  // namespace wp::parties
