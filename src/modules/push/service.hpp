#pragma once
// Push: who may register which subscription or device, and the outbox. It
// is the project's wp::PushSender: enqueue() only records (one row per
// target); the worker (worker.hpp) claims rows and calls deliver().
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/push.hpp"
#include "core/rate_limiter.hpp"
#include "modules/push/fcm.hpp"
#include "modules/push/policy.hpp"
#include "modules/push/store.hpp"
#include "modules/push/web_push.hpp"

namespace wp::push {

struct PushSettings {
  bool allow_http_endpoints = false;  // real push services are https; tests run one on http
  std::vector<std::string> endpoint_hosts{"*"};  // as Config::push_endpoint_hosts
  RetryRules retry;
  std::int64_t lease_ms = 60000;
  std::int64_t retention_ms = 30LL * 86400 * 1000;  // sent and failed rows are kept this long
};

// A browser's PushSubscription.toJSON(), and the User-Agent that sent it.
struct SubscriptionInput {
  std::string endpoint, p256dh, auth, user_agent;
};

struct TestPushInput {
  std::string title = "Test notification", body = "Push notifications work on this device.", url = "/settings/push";
  std::string urgency = "normal";
  int ttl_s = 3600;
  int delay_s = 0;
};

struct PushDetail {
  PushRow push;
  std::vector<AttemptRow> attempts;
};

class PushService : public PushSender {
 public:
  // fcm: null when no service account is configured (device tokens are kept but not sent to).
  PushService(Store& store, WebPushSettings web, std::unique_ptr<FcmClient> fcm, PushSettings settings);

  SubscriptionRow subscribe(const Principal& user, const SubscriptionInput& in, bool& created);
  std::vector<SubscriptionRow> subscriptions(const Principal& user);
  void unsubscribe(const Principal& user, const std::string& id);
  DeviceTokenRow register_device(const Principal& user, const std::string& token, const std::string& platform,
                                 bool& created);
  std::vector<DeviceTokenRow> devices(const Principal& user);
  void remove_device(const Principal& user, const std::string& id);
  // Removes a device token whoever holds it; queued pushes to it then fail unsent.
  void forget_device_token(const std::string& token) { store_.delete_device_token(token); }
  std::string vapid_public_key() const;  // base64url, for PushManager.subscribe
  bool fcm_enabled() const { return fcm_ != nullptr; }

  // A push to all of the caller's own targets, through enqueue(); how many rows it made.
  // At most kTestPushesPerMinute per user when a limiter is set (429 beyond).
  int send_test(const Principal& user, const TestPushInput& in);
  static constexpr int kTestPushesPerMinute = 60;
  void set_rate_limiter(RateLimiter& limiter) { limiter_ = &limiter; }
  std::vector<PushRow> pushes(const Principal& user, int limit, int offset, long long& count);
  PushDetail push(const Principal& user, const std::string& id);

  // wp::PushSender
  void enqueue(const PushMessage& message) override;
  // Called after rows were queued (the worker wakes instead of waiting for its poll).
  void on_enqueued(std::function<void()> fn) { on_enqueued_ = std::move(fn); }

  // The worker's side.
  std::vector<Delivery> claim(const std::string& worker_id, int limit);
  void deliver(const Delivery& d, const std::string& worker_id);
  void release(const Delivery& d, const std::string& worker_id);
  // Deletes settled pushes older than the retention; returns how many.
  long long purge();

 private:
  int enqueue_counting(const PushMessage& message);
  Outcome attempt(const Delivery& d, std::int64_t now);

  Store& store_;
  WebPushSettings web_;
  std::unique_ptr<FcmClient> fcm_;
  PushSettings settings_;
  std::function<void()> on_enqueued_;
  RateLimiter* limiter_ = nullptr;
};

}  // namespace wp::push
