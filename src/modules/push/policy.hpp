#pragma once
// What an attempt's answer means for the push: the rules of RFC 8030 and
// FCM in one pure function, tested on its own.
#include <cstdint>
#include <optional>
#include <string>

#include "modules/push/model.hpp"

namespace wp::push {

// What a push service answered (http_status 0: no answer, a transport error).
struct SendResult {
  int http_status = 0;
  std::string error;                 // transport error or the service's reason
  std::optional<int> retry_after_s;  // Retry-After, when given
  bool unregistered = false;         // FCM: the token is no longer valid
  bool transient = false;            // retry whatever the status (FCM: an access token refused)
};

struct RetryRules {
  int max_attempts = 5;
  std::int64_t base_ms = 5000;        // first backoff; doubles per attempt
  std::int64_t max_backoff_ms = 3600 * 1000;
};

// 2xx: sent. 404/410 (or FCM's UNREGISTERED): gone, the target is deleted.
// 429, 5xx, no answer and transient ones: retried after Retry-After when given, else an
// exponential backoff, while attempts remain and the TTL allows. Anything
// else (400, 401, 403, 413): failed at once.
// attempts counts this one; expires_at is when the push may no longer go.
Outcome decide(const SendResult& r, int attempts, const RetryRules& rules, std::int64_t now, std::int64_t expires_at);

}  // namespace wp::push
