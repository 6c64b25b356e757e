#pragma once
// Whether realtime work is lagging, and so whether bulk work is refused.
// The I/O threads run a probe every `interval` (a timer, http/server.cpp);
// how late it runs is how long any handler posted at that moment (a party
// message's fan-out to its members) waited for an I/O thread. A probe later
// than `threshold` starts shedding for `hold`, and each late probe restarts
// the hold, so bulk work comes back only after `hold` without lag.
// Pure: the caller gives the times. Thread-safe: each I/O thread has its
// own probe, and the gate holds the worst of them.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace wp {

struct LagSettings {
  std::chrono::milliseconds interval{10};
  std::chrono::milliseconds threshold{0};  // 0: never shed
  std::chrono::milliseconds hold{1000};
};

class LagGate {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LagGate(LagSettings settings) : settings_(settings) {}

  const LagSettings& settings() const { return settings_; }
  // The probe due at `due` ran at `ran`: its lateness (zero when early).
  std::chrono::microseconds observe(Clock::time_point due, Clock::time_point ran);
  // True while bulk work is to be refused.
  bool shedding(Clock::time_point now) const;
  // Whole seconds until the shedding may end, at least 1: a refusal's Retry-After.
  int retry_after_s(Clock::time_point now) const;
  // A bulk request was refused (for the metrics).
  void count_shed() { shed_.fetch_add(1, std::memory_order_relaxed); }

  std::uint64_t shed() const { return shed_.load(std::memory_order_relaxed); }
  std::uint64_t late_probes() const { return late_.load(std::memory_order_relaxed); }
  // The largest lateness of the last whole second of probes, in seconds.
  double recent_max_lag_s() const;

 private:
  static std::int64_t ns(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  }

  const LagSettings settings_;
  std::atomic<std::int64_t> shed_until_ns_{0};
  std::atomic<std::uint64_t> shed_{0}, late_{0};
  // The current second's largest lateness, and the last one's.
  std::mutex window_mu_;
  std::int64_t window_start_ns_ = 0;
  std::int64_t window_max_ns_ = 0;
  std::atomic<std::int64_t> last_window_max_ns_{0};
};

}  // namespace wp
