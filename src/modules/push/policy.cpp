#include "modules/push/policy.hpp"

#include <algorithm>

namespace wp::push {

namespace {

std::string describe(const SendResult& r) {
  if (r.http_status == 0) return r.error.empty() ? "no answer" : r.error;
  std::string s = "HTTP " + std::to_string(r.http_status);
  return r.error.empty() ? s : s + ": " + r.error.substr(0, 300);
}

}  // namespace

Outcome decide(const SendResult& r, int attempts, const RetryRules& rules, std::int64_t now, std::int64_t expires_at) {
  Outcome o;
  if (r.http_status != 0) o.http_status = r.http_status;
  if (r.http_status >= 200 && r.http_status < 300 && !r.unregistered) {
    o.verdict = Verdict::sent;
    return o;
  }
  o.error = describe(r);
  if (r.unregistered || r.http_status == 404 || r.http_status == 410) {
    o.verdict = Verdict::gone;
    return o;
  }
  bool transient = r.transient || r.http_status == 0 || r.http_status == 429 || r.http_status >= 500;
  if (!transient) {
    o.verdict = Verdict::failed;
    return o;
  }
  if (attempts >= rules.max_attempts) {
    o.verdict = Verdict::failed;
    o.error += " (no attempts left)";
    return o;
  }
  std::int64_t delay = rules.base_ms << std::min(attempts - 1, 20);
  delay = std::min(delay, rules.max_backoff_ms);
  if (r.retry_after_s) delay = std::max<std::int64_t>(*r.retry_after_s, 0) * 1000;
  o.next_attempt_at = now + delay;
  if (o.next_attempt_at >= expires_at) {
    o.verdict = Verdict::failed;
    o.error += " (its TTL ends before the next attempt)";
    return o;
  }
  o.verdict = Verdict::retry;
  return o;
}

}  // namespace wp::push
