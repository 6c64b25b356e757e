#include "modules/push/web_push.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "core/crypto.hpp"
#include "modules/push/ece.hpp"
#include "modules/push/http_post.hpp"
#include "modules/push/vapid.hpp"

namespace wp::push {

namespace json = boost::json;

std::string push_payload(const PushRow& push) {
  json::value data;
  try {
    data = json::parse(push.data);
  } catch (const std::exception&) {
    data = json::object();
  }
  json::object o{{"id", push.id},     {"notification_id", push.notification_id},
                 {"type", push.type}, {"title", push.title},
                 {"body", push.body}, {"url", push.url},
                 {"data", data}};
  std::string text = json::serialize(o);
  if (text.size() <= kMaxPlaintext) return text;
  // Too large for one record: the body is cut (its overflow and a margin for escaping), then the data dropped.
  std::size_t over = text.size() - kMaxPlaintext;
  std::string body = push.body.substr(0, push.body.size() > over + 16 ? push.body.size() - over - 16 : 0);
  while (!body.empty() && (static_cast<unsigned char>(body.back()) & 0xC0) == 0x80) body.pop_back();
  if (!body.empty() && (static_cast<unsigned char>(body.back()) & 0x80)) body.pop_back();
  o["body"] = body + "…";
  text = json::serialize(o);
  if (text.size() <= kMaxPlaintext) return text;
  o["data"] = json::object();
  return json::serialize(o);
}

SendResult send_web_push(const SubscriptionRow& sub, const PushRow& push, const WebPushSettings& settings, int ttl_s,
                         std::int64_t now_ms) {
  SendResult result;
  std::string p256dh, auth;
  if (!crypto::base64url_decode(sub.p256dh, p256dh) || !crypto::base64url_decode(sub.auth, auth)) {
    result.http_status = 400;  // never retried: the subscription's keys are unusable
    result.error = "the subscription's keys are not base64url";
    return result;
  }
  HttpPost post;
  try {
    post.body = ece_encrypt({push_payload(push), p256dh, auth});
  } catch (const std::invalid_argument& e) {
    result.http_status = 400;
    result.error = std::string("cannot encrypt for this subscription: ") + e.what();
    return result;
  }
  std::int64_t now_s = now_ms / 1000;
  post.url = sub.endpoint;
  post.timeout_ms = settings.timeout_ms;
  post.headers = {
      "TTL: " + std::to_string(std::max(ttl_s, 0)),
      "Urgency: " + std::string(to_string(push.urgency)),
      "Content-Encoding: aes128gcm",
      "Content-Type: application/octet-stream",
      // A resend of this push replaces an undelivered copy instead of adding one (RFC 8030 5.4).
      "Topic: " + [&] {
        std::string t = push.id;
        t.erase(std::remove(t.begin(), t.end(), '-'), t.end());
        return t.substr(0, 32);
      }(),
      "Authorization: " + vapid_authorization(sub.endpoint, settings.vapid, settings.subject, now_s, 12 * 3600),
  };
  auto answer = http_post(post, now_s);
  result.http_status = answer.status;
  result.retry_after_s = answer.retry_after_s;
  result.error = answer.status == 0 ? answer.error : answer.status >= 300 ? answer.body.substr(0, 300) : "";
  return result;
}

}  // namespace wp::push
