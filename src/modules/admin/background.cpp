#include "modules/admin/background.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "modules/admin/sampling.hpp"

namespace wp::admin {

Background::Background(AdminService& service, Submit submit, Intervals intervals, Queues queues)
    : service_(service), submit_(std::move(submit)), intervals_(intervals), queues_(std::move(queues)) {}

void Background::start() {
  last_ = metrics().snapshot();
  last_at_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { run(); });
}

void Background::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Background::once(std::atomic<bool>& busy, const char* what, std::function<void()> job) {
  if (busy.exchange(true)) return;
  auto task = [&busy, what, job = std::move(job)] {
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::warn("admin {}: {}", what, e.what());
    }
    busy = false;
  };
  if (!submit_(std::move(task))) busy = false;  // the pool is full: the next turn tries again
}

// The snapshot is taken on this thread (the metrics lock only), the SQL on the pool.
void Background::sample() {
  auto now = metrics().snapshot();
  auto at = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(at - last_at_).count();
  auto points = points_between(last_, now, seconds, service_.settings().node_id, now_ms());
  last_ = std::move(now);
  last_at_ = at;
  once(sampling_, "metrics snapshot", [this, points = std::move(points)]() mutable {
    if (queues_)
      for (auto& [name, depth] : queues_())
        points.push_back({service_.settings().node_id, "queue_" + name, "", static_cast<double>(depth), now_ms()});
    service_.save_points(points);
  });
}

void Background::run() {
  using clock = std::chrono::steady_clock;
  auto next_beat = clock::now(), next_sample = clock::now() + intervals_.sample, next_prune = clock::now();
  std::unique_lock lock(mu_);
  while (!stopping_) {
    auto wake = std::min({next_beat, next_sample, next_prune});
    if (cv_.wait_until(lock, wake, [this] { return stopping_; })) break;
    lock.unlock();
    auto now = clock::now();
    if (now >= next_beat) {
      once(beating_, "heartbeat", [this] { service_.beat(); });
      next_beat = now + intervals_.heartbeat;
    }
    if (now >= next_sample) {
      sample();
      next_sample = now + intervals_.sample;
    }
    if (now >= next_prune) {
      once(pruning_, "retention", [this] {
        if (auto n = service_.prune(now_ms()); n > 0) spdlog::info("admin retention: {} old rows deleted", n);
      });
      next_prune = now + intervals_.prune;
    }
    lock.lock();
  }
}

}  // namespace wp::admin
