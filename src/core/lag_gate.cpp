#include "core/lag_gate.hpp"

#include <algorithm>

namespace wp {

namespace {
constexpr std::int64_t kWindowNs = 1'000'000'000;
}

std::chrono::microseconds LagGate::observe(Clock::time_point due, Clock::time_point ran) {
  auto late = std::max(Clock::duration::zero(), ran - due);
  auto late_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(late).count();
  {
    std::lock_guard lock(window_mu_);
    if (ns(ran) - window_start_ns_ >= kWindowNs) {
      last_window_max_ns_.store(window_max_ns_, std::memory_order_relaxed);
      window_start_ns_ = ns(ran);
      window_max_ns_ = 0;
    }
    window_max_ns_ = std::max(window_max_ns_, late_ns);
  }
  if (settings_.threshold.count() > 0 && late > settings_.threshold) {
    late_.fetch_add(1, std::memory_order_relaxed);
    auto until = ns(ran + settings_.hold);
    // Only ever pushed later: a reader never sees the hold shrink.
    auto seen = shed_until_ns_.load(std::memory_order_relaxed);
    while (seen < until && !shed_until_ns_.compare_exchange_weak(seen, until, std::memory_order_relaxed)) {
    }
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(late);
}

bool LagGate::shedding(Clock::time_point now) const {
  return ns(now) < shed_until_ns_.load(std::memory_order_relaxed);
}

int LagGate::retry_after_s(Clock::time_point now) const {
  auto left = shed_until_ns_.load(std::memory_order_relaxed) - ns(now);
  return static_cast<int>(std::max<std::int64_t>(1, (left + kWindowNs - 1) / kWindowNs));
}

double LagGate::recent_max_lag_s() const {
  return static_cast<double>(last_window_max_ns_.load(std::memory_order_relaxed)) / 1e9;
}

}  // namespace wp
