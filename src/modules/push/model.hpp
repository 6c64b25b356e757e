#pragma once
// Push: the browsers' Web Push subscriptions, the devices' FCM tokens, and
// the outbox rows (one per message and target) the worker sends, as the
// store reads them, with the vocabulary of their states.
#include <cstdint>
#include <optional>
#include <string>

#include "core/enum_names.hpp"

namespace wp::push {

enum class Channel { web, fcm };
// queued: waiting (a worker may hold it, locked_by); sending: a request in
// flight; sent; failed (refused, gone, out of attempts, expired, or the
// worker died mid-request: not sent again, so never twice).
enum class PushStatus { queued, sending, sent, failed };
enum class Urgency { very_low, low, normal, high };  // RFC 8030 5.3
enum class Platform { android, ios, web };

struct SubscriptionRow {
  std::string id;
  std::string user_id;
  std::string endpoint;
  std::string p256dh;  // base64url
  std::string auth;    // base64url
  std::string user_agent;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
};

struct DeviceTokenRow {
  std::string id;
  std::string user_id;
  std::string token;
  Platform platform = Platform::android;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
};

struct PushRow {
  std::string id;
  std::string user_id;
  Channel channel = Channel::web;
  std::optional<std::string> subscription_id;
  std::optional<std::string> device_id;
  std::string notification_id;
  std::string type;
  std::string title;
  std::string body;
  std::string url;
  std::string data = "{}";
  int ttl_s = 0;
  Urgency urgency = Urgency::normal;
  PushStatus status = PushStatus::queued;
  int attempts = 0;
  int max_attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::string> locked_by;
  std::optional<std::int64_t> locked_at;
  std::optional<int> http_status;
  std::string error;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> sent_at;
};

struct AttemptRow {
  int attempt = 0;
  std::string worker;
  std::optional<int> http_status;
  std::string error;
  std::int64_t started_at = 0;
  std::int64_t finished_at = 0;
};

// A claimed push with its target (none when the target was deleted meanwhile).
struct Delivery {
  PushRow push;
  std::optional<SubscriptionRow> subscription;
  std::optional<DeviceTokenRow> device;
};

// What one attempt ended as, decided by policy.hpp and written by the store.
enum class Verdict { sent, retry, failed, gone };
struct Outcome {
  Verdict verdict = Verdict::failed;
  std::optional<int> http_status;
  std::string error;
  std::int64_t next_attempt_at = 0;  // retry only
};

}  // namespace wp::push

WP_ENUM_NAMES(wp::push::Channel, {wp::push::Channel::web, "web"}, {wp::push::Channel::fcm, "fcm"});
WP_ENUM_NAMES(wp::push::PushStatus, {wp::push::PushStatus::queued, "queued"},
              {wp::push::PushStatus::sending, "sending"}, {wp::push::PushStatus::sent, "sent"},
              {wp::push::PushStatus::failed, "failed"});
WP_ENUM_NAMES(wp::push::Urgency, {wp::push::Urgency::very_low, "very-low"}, {wp::push::Urgency::low, "low"},
              {wp::push::Urgency::normal, "normal"}, {wp::push::Urgency::high, "high"});
WP_ENUM_NAMES(wp::push::Platform, {wp::push::Platform::android, "android"}, {wp::push::Platform::ios, "ios"},
              {wp::push::Platform::web, "web"});
