#include "modules/recommendations/routes.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"

namespace wp::recommendations {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::object row_json(const RecommendationRow& r) {
  bool video = r.object_type == ObjectType::video;
  return {{"id", r.id},
          {"type", to_string(r.object_type)},
          {"object_id", r.object_id},
          {"title", r.title},
          {"score", r.score},
          {"reason", r.reason},
          {"url", std::string(video ? "/videos/" : "/parties/") + r.object_id},
          {"created_at", to_rfc3339(r.created_at)}};
}

Response mine(RecommendationsService& svc, Request& req) {
  json::array videos, parties;
  for (auto& r : svc.for_user(req.current_user()))
    (r.object_type == ObjectType::video ? videos : parties).push_back(row_json(r));
  return http::json_response(json::object{{"videos", std::move(videos)}, {"parties", std::move(parties)}});
}

Response click(RecommendationsService& svc, Request& req) {
  svc.click(req.current_user(), req.param("id"));
  return http::success_response();
}

}  // namespace

void add_routes(http::Router& router, RecommendationsService& service) {
  http::ModuleRoutes routes(router, service, "recommendations");
  routes.add("GET", "/api/recommendations/", "Videos and live parties recommended for me, with the reason",
             Access::user, mine);
  routes.add("POST", "/api/recommendations/{id}/click/", "Record that I followed a recommendation", Access::user,
             click);
}

}  // namespace wp::recommendations
