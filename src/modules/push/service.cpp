#include "modules/push/service.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/enum_names.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/strings.hpp"
#include "modules/push/ec_key.hpp"
#include "modules/push/vapid.hpp"

namespace wp::push {

namespace {

constexpr std::size_t kMaxTitle = 200, kMaxBody = 1000;

// A site-relative path ("/parties/<id>"); anything else (or a path too long to
// carry in a push) opens the home page.
std::string site_path(const std::string& url) {
  if (url.empty() || url.size() > 1000 || url[0] != '/' || (url.size() > 1 && (url[1] == '/' || url[1] == '\\')))
    return "/";
  return url;
}

std::string json_object_or_empty(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return !ec && v.is_object() ? text : "{}";
}

}  // namespace

PushService::PushService(Store& store, WebPushSettings web, std::unique_ptr<FcmClient> fcm, PushSettings settings)
    : store_(store), web_(std::move(web)), fcm_(std::move(fcm)), settings_(settings) {}

// ---------------------------------------------------------------- subscriptions and devices

namespace {

// The endpoint's host is one of `hosts` or under one of them ("*": any).
bool host_allowed(const std::string& endpoint, const std::vector<std::string>& hosts) {
  auto url = boost::urls::parse_absolute_uri(endpoint);
  if (!url) return false;
  std::string host(url->encoded_host());
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  for (auto& allowed : hosts) {
    if (allowed == "*" || host == allowed) return true;
    if (host.ends_with("." + allowed)) return true;
  }
  return false;
}

}  // namespace

SubscriptionRow PushService::subscribe(const Principal& user, const SubscriptionInput& in, bool& created) {
  FieldErrors errors;
  std::string origin = endpoint_origin(in.endpoint);
  if (origin.empty() || (origin.rfind("https://", 0) != 0 && !settings_.allow_http_endpoints))
    errors["endpoint"].push_back("Must be the push service's https URL.");
  else if (!host_allowed(in.endpoint, settings_.endpoint_hosts))
    errors["endpoint"].push_back("Must be a URL of a known push service.");
  std::string raw;
  if (!crypto::base64url_decode(in.p256dh, raw) || !is_p256_public(raw))
    errors["keys.p256dh"].push_back("Must be a base64url P-256 public key (65 bytes, uncompressed).");
  if (!crypto::base64url_decode(in.auth, raw) || raw.size() != 16)
    errors["keys.auth"].push_back("Must be a base64url 16-byte secret.");
  if (!errors.empty()) throw Error(ErrorCode::validation, "Invalid subscription.", errors);
  SubscriptionRow row{new_uuid(), user.id, in.endpoint, in.p256dh, in.auth, utf8_prefix(in.user_agent, 300), now_ms(), {}};
  return store_.upsert_subscription(row, created);
}

std::vector<SubscriptionRow> PushService::subscriptions(const Principal& user) {
  return store_.subscriptions_of(user.id);
}

void PushService::unsubscribe(const Principal& user, const std::string& id) {
  if (!is_uuid(id) || !store_.delete_subscription_of(id, user.id)) throw_not_found("No such subscription.");
}

DeviceTokenRow PushService::register_device(const Principal& user, const std::string& token,
                                            const std::string& platform, bool& created) {
  auto p = require_enum<Platform>("platform", platform);
  DeviceTokenRow row{new_uuid(), user.id, token, p, now_ms(), {}};
  return store_.upsert_device(row, created);
}

std::vector<DeviceTokenRow> PushService::devices(const Principal& user) { return store_.devices_of(user.id); }

void PushService::remove_device(const Principal& user, const std::string& id) {
  if (!is_uuid(id) || !store_.delete_device_of(id, user.id)) throw_not_found("No such device.");
}

std::string PushService::vapid_public_key() const { return crypto::base64url_encode(web_.vapid.public_raw); }

// ---------------------------------------------------------------- the outbox

int PushService::enqueue_counting(const PushMessage& m) {
  NewPush p;
  p.user_id = m.user_id;
  p.notification_id = m.notification_id;
  p.type = m.type;
  p.title = utf8_prefix(m.title, kMaxTitle);
  p.body = utf8_prefix(m.body, kMaxBody);
  p.url = site_path(m.url);
  p.data = json_object_or_empty(m.data_json);
  p.ttl_s = std::clamp(m.ttl_s, 0, 28 * 86400);
  p.urgency = parse_enum<Urgency>(m.urgency).value_or(Urgency::normal);
  p.max_attempts = settings_.retry.max_attempts;
  p.due_at = m.not_before_ms;
  int n = store_.enqueue(p, fcm_ != nullptr, now_ms());
  if (n > 0 && on_enqueued_) on_enqueued_();
  return n;
}

void PushService::enqueue(const PushMessage& message) { enqueue_counting(message); }

int PushService::send_test(const Principal& user, const TestPushInput& in) {
  auto urgency = require_enum<Urgency>("urgency", in.urgency);
  // Each test push is a request to every one of the user's push services: bounded.
  if (limiter_)
    if (auto wait = limiter_->acquire("push_test:" + user.id, kTestPushesPerMinute, 60000))
      throw Error(ErrorCode::rate_limited, "Too many test pushes; try again later.").with_retry_after(*wait);
  PushMessage m;
  m.user_id = user.id;
  m.type = "test";
  m.title = in.title;
  m.body = in.body;
  m.url = in.url;
  m.urgency = to_string(urgency);
  m.ttl_s = in.ttl_s;
  m.not_before_ms = in.delay_s > 0 ? now_ms() + std::int64_t{in.delay_s} * 1000 : 0;
  int n = enqueue_counting(m);
  if (n == 0) throw_conflict("No browser or device of yours is registered for push.");
  return n;
}

std::vector<PushRow> PushService::pushes(const Principal& user, int limit, int offset, long long& count) {
  count = store_.count_pushes_of(user.id);
  return store_.pushes_of(user.id, limit, offset);
}

PushDetail PushService::push(const Principal& user, const std::string& id) {
  auto row = is_uuid(id) ? store_.push_of(id, user.id) : std::nullopt;
  if (!row) throw_not_found("No such push notification.");
  return {*row, store_.attempts_of(id)};
}

std::vector<Delivery> PushService::claim(const std::string& worker_id, int limit) {
  return store_.claim(worker_id, {now_ms(), settings_.lease_ms, limit});
}

void PushService::release(const Delivery& d, const std::string& worker_id) { store_.release(d.push.id, worker_id); }

long long PushService::purge() { return store_.purge_settled(now_ms() - settings_.retention_ms); }

Outcome PushService::attempt(const Delivery& d, std::int64_t now) {
  int ttl_left = static_cast<int>(std::max<std::int64_t>(d.push.expires_at - now, 0) / 1000);
  SendResult result;
  if (d.push.channel == Channel::web && d.subscription) {
    result = send_web_push(*d.subscription, d.push, web_, ttl_left, now);
  } else if (d.push.channel == Channel::fcm && d.device && fcm_) {
    result = fcm_->send(*d.device, d.push, ttl_left, now);
  } else {
    result.http_status = 400;
    result.error = d.push.channel == Channel::fcm && !fcm_ ? "FCM is not configured" : "no target";
  }
  return decide(result, d.push.attempts + 1, settings_.retry, now_ms(), d.push.expires_at);
}

void PushService::deliver(const Delivery& d, const std::string& worker_id) {
  std::int64_t started = now_ms();
  // From here the request may reach the push service: a worker dying past
  // this point leaves the row 'sending', and it is never sent again.
  if (!store_.start_send(d.push.id, worker_id, started)) return;
  Outcome o = attempt(d, started);
  if (!store_.finish(d, worker_id, o, started, now_ms()))
    spdlog::warn("push {}: the lease was lost during the request; its outcome ({}) is not recorded", d.push.id,
                 o.error.empty() ? "sent" : o.error);
  if (o.verdict == Verdict::gone)
    spdlog::info("push {}: the {} is gone ({}): removed", d.push.id,
                 d.push.channel == Channel::web ? "subscription" : "device token", o.error);
}

}  // namespace wp::push
