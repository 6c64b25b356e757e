#include "modules/push/routes.hpp"

#include "core/fields.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/push/dto.hpp"
#include "http/user_agent.hpp"

namespace wp::push {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

template <class Rows, class Shape>
Response listing(const Rows& rows, Shape shape) {
  json::array out;
  for (auto& r : rows) out.push_back(shape(r));
  return http::json_response(json::object{{"count", rows.size()}, {"results", std::move(out)}});
}

Response vapid_key(PushService& svc, Request&) {
  return http::json_response(json::object{{"public_key", svc.vapid_public_key()}, {"fcm", svc.fcm_enabled()}});
}

// The body is what PushSubscription.toJSON() gives: {endpoint, expirationTime, keys: {p256dh, auth}}.
Response subscribe(PushService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  SubscriptionInput in;
  in.endpoint = f.required_string("endpoint", 1, 2048);
  auto keys = f.optional_object("keys");
  if (!keys) f.add_error("keys", "This field is required.");
  if (keys) {
    Fields k(*keys);
    in.p256dh = k.required_string("p256dh", 1, 200);
    in.auth = k.required_string("auth", 1, 100);
    FieldErrors nested;
    try {
      k.done();
    } catch (const Error& e) {
      for (auto& [name, msgs] : e.fields()) nested["keys." + name] = msgs;
    }
    f.merge(nested);
  }
  f.done();
  in.user_agent = http::user_agent(req);
  bool created = false;
  auto row = svc.subscribe(req.current_user(), in, created);
  return http::json_response(subscription_json(row), created ? 201 : 200);
}

Response list_subscriptions(PushService& svc, Request& req) {
  return listing(svc.subscriptions(req.current_user()), subscription_json);
}

Response no_content() {
  Response res;
  res.status = 204;
  return res;
}

Response unsubscribe(PushService& svc, Request& req) {
  svc.unsubscribe(req.current_user(), req.param("id"));
  return no_content();
}

Response register_device(PushService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto token = f.required_string("token", 1, 4096);
  auto platform = f.required_string("platform", 1, 20);
  f.done();
  bool created = false;
  auto row = svc.register_device(req.current_user(), token, platform, created);
  return http::json_response(device_json(row), created ? 201 : 200);
}

Response list_devices(PushService& svc, Request& req) { return listing(svc.devices(req.current_user()), device_json); }

Response remove_device(PushService& svc, Request& req) {
  svc.remove_device(req.current_user(), req.param("id"));
  return no_content();
}

Response test_push(PushService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  TestPushInput in;
  if (auto v = f.optional_string("title", 200)) in.title = *v;
  if (auto v = f.optional_string("body", 1000)) in.body = *v;
  if (auto v = f.optional_string("url", 500)) in.url = *v;
  if (auto v = f.optional_string("urgency", 20)) in.urgency = *v;
  if (auto v = f.optional_int("ttl", 0, 28 * 86400)) in.ttl_s = static_cast<int>(*v);
  if (auto v = f.optional_int("delay", 0, 86400)) in.delay_s = static_cast<int>(*v);
  f.done();
  int queued = svc.send_test(req.current_user(), in);
  return http::json_response(json::object{{"queued", queued}}, 202);
}

Response list_pushes(PushService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  auto rows = svc.pushes(req.current_user(), page.size, page.offset(), count);
  json::array out;
  for (auto& r : rows) out.push_back(push_json(r));
  return http::paginated(req, page, count, std::move(out));
}

Response get_push(PushService& svc, Request& req) {
  return http::json_response(push_detail_json(svc.push(req.current_user(), req.param("id"))));
}

}  // namespace

void add_routes(http::Router& router, PushService& svc) {
  const auto U = Access::user;
  http::ModuleRoutes routes(router, svc, "push");
  routes.add("GET", "/api/push/vapid-public-key/", "The server's VAPID public key (applicationServerKey)",
             Access::anonymous, vapid_key);
  routes.add("GET", "/api/push/subscriptions/", "My browsers' Web Push subscriptions", U, list_subscriptions);
  routes.add("POST", "/api/push/subscriptions/", "Register this browser's push subscription (PushSubscription JSON)",
             U, subscribe);
  routes.add("DELETE", "/api/push/subscriptions/{id}/", "Remove one of my push subscriptions", U, unsubscribe);
  routes.add("GET", "/api/push/devices/", "My devices' FCM tokens", U, list_devices);
  routes.add("POST", "/api/push/devices/", "Register a device's FCM token", U, register_device);
  routes.add("DELETE", "/api/push/devices/{id}/", "Remove one of my device tokens", U, remove_device);
  routes.add("POST", "/api/push/test/", "Send a test push to all my browsers and devices", U, test_push);
  routes.add("GET", "/api/push/notifications/", "My push notifications, newest first, with their delivery state", U,
             list_pushes);
  routes.add("GET", "/api/push/notifications/{id}/", "One push notification with every attempt", U, get_push);
}

}  // namespace wp::push
