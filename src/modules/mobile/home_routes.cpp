#include "modules/mobile/home_routes.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"

namespace wp::mobile {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

template <class T>
json::value or_null(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

using http::time_or_null;

json::object user_json(const HomeUser& u) { return {{"id", u.id}, {"username", u.username}}; }

template <class T, class Fn>
json::array array_of(const std::vector<T>& items, Fn fn) {
  json::array out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(fn(item));
  return out;
}

json::object party_json(const HomeParty& p) {
  return {{"id", p.id},
          {"title", p.title},
          {"host", user_json(p.host)},
          {"video_id", or_null(p.video_id)},
          {"group_id", or_null(p.group_id)},
          {"participant_count", p.participant_count},
          {"started_at", time_or_null(p.started_at)}};
}

json::object event_json(const HomeEvent& e) {
  return {{"id", e.id},
          {"title", e.title},
          {"organizer", user_json(e.organizer)},
          {"start_time", to_rfc3339(e.start_time)},
          {"end_time", to_rfc3339(e.end_time)},
          {"status", e.status},
          {"party_id", or_null(e.party_id)}};
}

json::object video_json(const HomeVideo& v) {
  return {{"id", v.id},
          {"title", v.title},
          {"uploader", user_json(v.uploader)},
          {"duration", or_null(v.duration)},
          {"thumbnail_url", v.has_thumbnail ? json::value("/api/videos/" + v.id + "/thumbnail/") : json::value(nullptr)}};
}

json::object resume_json(const HomeResume& r) {
  double progress = r.video.duration && *r.video.duration > 0 ? r.position_s / *r.video.duration : 0;
  return {{"video", video_json(r.video)},
          {"position_s", r.position_s},
          {"progress", progress},
          {"watched_at", to_rfc3339(r.watched_at)}};
}

json::object recommendation_json(const HomeRecommendation& r) {
  return {{"type", r.type}, {"id", r.id}, {"title", r.title}, {"reason", r.reason}};
}

json::object announcement_json(const HomeAnnouncement& a) {
  return {{"id", a.id},
          {"message", a.message},
          {"severity", a.severity},
          {"expires_at", time_or_null(a.expires_at)},
          {"created_at", to_rfc3339(a.created_at)}};
}

json::object home_json(const Home& h) {
  return {{"live_parties", array_of(h.live_parties, party_json)},
          {"upcoming_events", array_of(h.upcoming_events, event_json)},
          {"continue_watching", array_of(h.continue_watching, resume_json)},
          {"recommendations", json::object{{"source", to_string(h.recommendations_source)},
                                           {"results", array_of(h.recommendations, recommendation_json)}}},
          {"unread", json::object{{"notifications", h.unread_notifications},
                                  {"messages", h.unread_messages.messages},
                                  {"conversations", h.unread_messages.conversations}}},
          {"announcements", array_of(h.announcements, announcement_json)},
          {"unavailable", array_of(h.unavailable, [](const std::string& s) { return json::value(s); })},
          {"generated_at", to_rfc3339(now_ms())}};
}

// The OpenAPI shape of the answer (docs/api.md, "Home").
constexpr const char* kHomeAnswer =
    R"({"type":"object","required":["live_parties","upcoming_events","continue_watching","recommendations",)"
    R"("unread","announcements","unavailable","generated_at"],"properties":{)"
    R"("live_parties":{"type":"array","maxItems":10,"items":{"type":"object","properties":{"id":{"type":"string"},)"
    R"("title":{"type":"string"},"host":{"type":"object"},"video_id":{"type":["string","null"]},)"
    R"("group_id":{"type":["string","null"]},"participant_count":{"type":"integer"},)"
    R"("started_at":{"type":["string","null"],"format":"date-time"}}}},)"
    R"("upcoming_events":{"type":"array","maxItems":5,"items":{"type":"object","properties":{"id":{"type":"string"},)"
    R"("title":{"type":"string"},"organizer":{"type":"object"},"start_time":{"type":"string","format":"date-time"},)"
    R"("end_time":{"type":"string","format":"date-time"},"status":{"enum":["upcoming","live"]},)"
    R"("party_id":{"type":["string","null"]}}}},)"
    R"("continue_watching":{"type":"array","maxItems":10,"items":{"type":"object","properties":{)"
    R"("video":{"type":"object","properties":{"id":{"type":"string"},"title":{"type":"string"},)"
    R"("uploader":{"type":"object"},"duration":{"type":["number","null"]},)"
    R"("thumbnail_url":{"type":["string","null"]}}},"position_s":{"type":"number"},)"
    R"("progress":{"type":"number","minimum":0,"exclusiveMaximum":0.95},"watched_at":{"type":"string","format":"date-time"}}}},)"
    R"("recommendations":{"type":"object","properties":{"source":{"enum":["recommender","popular"]},)"
    R"("results":{"type":"array","maxItems":10,"items":{"type":"object","properties":{"type":{"enum":["video","party"]},)"
    R"("id":{"type":"string"},"title":{"type":"string"},"reason":{"type":"string"}}}}}},)"
    R"("unread":{"type":"object","properties":{"notifications":{"type":"integer"},"messages":{"type":"integer"},)"
    R"("conversations":{"type":"integer"}}},)"
    R"("announcements":{"type":"array","maxItems":3,"items":{"type":"object","properties":{"id":{"type":"string"},)"
    R"("message":{"type":"string"},"severity":{"enum":["info","warning","critical"]},)"
    R"("expires_at":{"type":["string","null"],"format":"date-time"},"created_at":{"type":"string","format":"date-time"}}}},)"
    R"("unavailable":{"type":"array","items":{"type":"string"}},"generated_at":{"type":"string","format":"date-time"}}})";

Response home(HomeService& svc, Request& req) {
  auto r = http::json_response(home_json(svc.home(req.current_user())));
  r.set_header("Cache-Control", "private, no-store");
  return r;
}

}  // namespace

void add_home_routes(http::Router& router, HomeService& svc) {
  http::ModuleRoutes routes(router, svc, "mobile");
  routes.add("GET", "/api/mobile/home/",
             "The app's first screen: friends' and groups' live parties, my upcoming events, continue watching, "
             "recommendations, unread counts, announcements",
             Access::user, home, {.response_schema = kHomeAnswer});
}

}  // namespace wp::mobile
