#include "modules/push/web_push.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "core/crypto.hpp"
#include "modules/push/ece.hpp"
#include "core/http_post.hpp"
#include "modules/push/vapid.hpp"

namespace wp::push {

namespace json = boost::json;

std::string push_payload(const PushRow& push) {
  boost::system::error_code ec;
  json::value data = json::parse(push.data, ec);
  if (ec || !data.is_object()) data = json::object();
  json::object o{{"id", push.id},     {"notification_id", push.notification_id},
                 {"type", push.type}, {"title", push.title},
                 {"body", push.body}, {"url", push.url},
                 {"data", data}};
  std::string text = json::serialize(o);
  if (text.size() <= kMaxPlaintext) return text;
  // Too large for one record: the data goes first (the page it links to has it), then the body is cut.
  o["data"] = json::object();
  text = json::serialize(o);
  if (text.size() <= kMaxPlaintext) return text;
  std::size_t over = text.size() - kMaxPlaintext;
  std::string body = push.body.substr(0, push.body.size() > over + 8 ? push.body.size() - over - 8 : 0);
  while (!body.empty() && (static_cast<unsigned char>(body.back()) & 0xC0) == 0x80) body.pop_back();
  if (!body.empty() && (static_cast<unsigned char>(body.back()) & 0x80)) body.pop_back();  // a cut lead byte
  o["body"] = body + "\u2026";
  return json::serialize(o);
}

namespace {

// RFC 8030 5.4: at most 32 base64url characters; the push id without its dashes.
std::string topic_of(const std::string& push_id) {
  std::string t = push_id;
  t.erase(std::remove(t.begin(), t.end(), '-'), t.end());
  return t.substr(0, 32);
}

}  // namespace

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
      "Topic: " + topic_of(push.id),
      "Authorization: " + vapid_authorization(sub.endpoint, settings.vapid, settings.subject, now_s, 12 * 3600),
  };
  auto answer = http_post(post, now_s);
  result.http_status = answer.status;
  result.retry_after_s = answer.retry_after_s;
  result.error = answer.status == 0 ? answer.error : answer.status >= 300 ? answer.body.substr(0, 300) : "";
  return result;
}

}  // namespace wp::push
