#pragma once
// One Web Push request (RFC 8030): the payload encrypted for the
// subscription (RFC 8291), VAPID (RFC 8292), TTL and Urgency.
#include <string>

#include "modules/push/ec_key.hpp"
#include "modules/push/model.hpp"
#include "modules/push/policy.hpp"

namespace wp::push {

struct WebPushSettings {
  P256KeyPair vapid;
  std::string subject;  // mailto: or https: (RFC 8292 2.1)
  long timeout_ms = 10000;
};

// The JSON the service worker receives: id, notification_id, type, title, body, url, data.
std::string push_payload(const PushRow& push);

// ttl_s: what is left of the push's TTL now.
SendResult send_web_push(const SubscriptionRow& sub, const PushRow& push, const WebPushSettings& settings, int ttl_s,
                         std::int64_t now_ms);

}  // namespace wp::push
