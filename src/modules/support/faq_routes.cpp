// FAQ entries, their votes, and feedback (docs/api.md, "Support").
#include <utility>

#include "core/fields.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/support/dto.hpp"
#include "modules/support/route_helpers.hpp"
#include "modules/support/routes.hpp"

namespace wp::support {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kCategoryMax = 50, kQuestionMax = 300, kAnswerMax = 20000;
constexpr std::size_t kFeedbackMax = 5000, kPageMax = 500, kContextMax = 4096;

const Principal* viewer(const Request& req) { return req.user ? &*req.user : nullptr; }
bool staff_view(const Request& req) { return req.user && req.user->staff(); }

Response list_faq(SupportService& svc, Request& req) {
  auto page = http::parse_page(req, 50);
  FaqFilter f;
  f.published_only = !(staff_view(req) && req.query("drafts") == "true");
  if (auto c = req.query("category"); c && !c->empty()) f.category = c->substr(0, kCategoryMax);
  if (auto q = req.query("search"); q && !q->empty()) f.search = q->substr(0, kSearchMax);
  long long count = 0;
  json::array out;
  for (auto& q : svc.faqs(viewer(req), f, page.size, page.offset(), count)) out.push_back(faq_json(q, staff_view(req)));
  return http::paginated(req, page, count, std::move(out));
}

Response categories(SupportService& svc, Request&) {
  json::array out;
  for (auto& [name, count] : svc.faq_categories()) out.push_back(json::object{{"category", name}, {"count", count}});
  return http::json_response(out);
}

FaqInput read_faq(const json::object& body, bool create) {
  Fields f(body);
  FaqInput in;
  in.category = f.optional_string("category", kCategoryMax);
  in.question = f.optional_string("question", kQuestionMax);
  in.answer = f.optional_string("answer", kAnswerMax);
  if (auto p = f.optional_int("position", -100000, 100000)) in.position = static_cast<int>(*p);
  in.is_published = f.optional_bool("is_published");
  const std::pair<const char*, std::optional<std::string>*> texts[] = {
      {"category", &in.category}, {"question", &in.question}, {"answer", &in.answer}};
  for (auto& [name, value] : texts) {
    if (create && !value->has_value()) f.add_error(name, "This field is required.");
    else if (value->has_value() && (*value)->empty()) f.add_error(name, "This field may not be blank.");
  }
  f.done();
  return in;
}

Response create_faq(SupportService& svc, Request& req) {
  auto q = svc.create_faq(req.current_user(), read_faq(http::parse_object_body(req), true));
  return http::json_response(faq_json(q, true), 201);
}

Response update_faq(SupportService& svc, Request& req) {
  auto q = svc.update_faq(req.current_user(), req.param("id"), read_faq(http::parse_object_body(req), false));
  return http::json_response(faq_json(q, true));
}

Response vote(SupportService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto helpful = f.required_bool("helpful");
  f.done();
  return http::json_response(faq_json(svc.vote(req.current_user(), req.param("id"), *helpful), staff_view(req)));
}

Response create_feedback(SupportService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  FeedbackInput in;
  auto rating = f.optional_int("rating", 1, 5);
  if (!rating && f.ok()) f.add_error("rating", "This field is required.");
  in.text = f.optional_string("text", kFeedbackMax).value_or("");
  in.page = f.optional_string("page", kPageMax).value_or("");
  if (auto c = f.optional_object("context")) {
    in.context = json::serialize(*c);
    if (in.context.size() > kContextMax) f.add_error("context", "Must be at most 4096 bytes of JSON.");
  }
  in.screenshot_id = id_field(f, "screenshot_id");
  f.done();
  in.rating = static_cast<int>(*rating);
  return http::json_response(feedback_json(svc.create_feedback(req.current_user(), in)), 201);
}

Response list_feedback(SupportService& svc, Request& req) {
  auto page = http::parse_page(req);
  FeedbackFilter f;
  f.status = enum_query<FeedbackStatus>(req, "status");
  f.rating = int_query(req, "rating", 1, 5);
  long long count = 0;
  json::array out;
  for (auto& b : svc.feedback(req.current_user(), f, page.size, page.offset(), count)) out.push_back(feedback_json(b));
  return http::paginated(req, page, count, std::move(out));
}

Response triage(SupportService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto status = enum_field<FeedbackStatus>(f, body, "status");
  if (!status && f.ok()) f.add_error("status", "This field is required.");
  f.done();
  return http::json_response(feedback_json(svc.triage(req.current_user(), req.param("id"), *status)));
}

}  // namespace

void add_faq_routes(http::Router& router, SupportService& svc) {
  const auto A = Access::anonymous, U = Access::user, S = Access::staff;
  http::ModuleRoutes routes(router, svc, "support");
  routes.add("GET", "/api/support/faq/", "Published FAQ entries (category, search; staff: drafts=true)", A, list_faq);
  routes.add("POST", "/api/support/faq/", "Add a FAQ entry (Markdown answer; staff)", S, create_faq);
  routes.add("GET", "/api/support/faq/categories/", "FAQ categories with their published entries' counts", A,
             categories);
  routes.add("GET", "/api/support/faq/{id}/", "A FAQ entry (drafts: staff only)", A,
             [](SupportService& s, Request& r) {
               return http::json_response(faq_json(s.faq(viewer(r), r.param("id")), staff_view(r)));
             });
  routes.add("PATCH", "/api/support/faq/{id}/", "Change a FAQ entry (staff)", S, update_faq);
  routes.add("DELETE", "/api/support/faq/{id}/", "Delete a FAQ entry (staff)", S, [](SupportService& s, Request& r) {
    s.delete_faq(r.current_user(), r.param("id"));
    return http::success_response();
  });
  routes.add("POST", "/api/support/faq/{id}/vote/", "Was this helpful? One vote per user (helpful: bool)", U, vote);
  routes.add("POST", "/api/support/feedback/", "Send feedback: rating 1-5, text, page, context, screenshot_id", U,
             create_feedback);
  routes.add("GET", "/api/support/staff/feedback/", "Feedback for triage (status, rating; staff)", S, list_feedback);
  routes.add("PATCH", "/api/support/staff/feedback/{id}/", "Set a feedback's triage status (staff)", S, triage);
}

}  // namespace wp::support
