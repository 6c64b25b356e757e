#include "modules/push/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"

namespace wp::push {

namespace json = boost::json;

namespace {

using http::time_or_null;

json::value int_or_null(const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); }

}  // namespace

json::object subscription_json(const SubscriptionRow& s) {
  // The keys stay on the server: a client knows its own, nobody else needs them.
  return {{"id", s.id},
          {"endpoint", s.endpoint},
          {"user_agent", s.user_agent},
          {"created_at", to_rfc3339(s.created_at)},
          {"last_used_at", time_or_null(s.last_used_at)}};
}

json::object device_json(const DeviceTokenRow& d) {
  return {{"id", d.id},
          {"token", d.token},
          {"platform", to_string(d.platform)},
          {"created_at", to_rfc3339(d.created_at)},
          {"last_used_at", time_or_null(d.last_used_at)}};
}

json::object push_json(const PushRow& p) {
  return {{"id", p.id},
          {"channel", to_string(p.channel)},
          {"subscription_id", p.subscription_id ? json::value(*p.subscription_id) : json::value(nullptr)},
          {"device_id", p.device_id ? json::value(*p.device_id) : json::value(nullptr)},
          {"notification_id", p.notification_id},
          {"type", p.type},
          {"title", p.title},
          {"url", p.url},
          {"urgency", to_string(p.urgency)},
          {"ttl", p.ttl_s},
          {"status", to_string(p.status)},
          {"attempts", p.attempts},
          {"max_attempts", p.max_attempts},
          {"http_status", int_or_null(p.http_status)},
          {"error", p.error},
          {"next_attempt_at", to_rfc3339(p.next_attempt_at)},
          {"expires_at", to_rfc3339(p.expires_at)},
          {"created_at", to_rfc3339(p.created_at)},
          {"sent_at", time_or_null(p.sent_at)}};
}

json::object push_detail_json(const PushDetail& d) {
  auto o = push_json(d.push);
  json::array attempts;
  for (auto& a : d.attempts)
    attempts.push_back(json::object{{"attempt", a.attempt},
                                    {"worker", a.worker},
                                    {"http_status", int_or_null(a.http_status)},
                                    {"error", a.error},
                                    {"started_at", to_rfc3339(a.started_at)},
                                    {"finished_at", to_rfc3339(a.finished_at)}});
  o["attempt_log"] = std::move(attempts);
  return o;
}

}  // namespace wp::push
