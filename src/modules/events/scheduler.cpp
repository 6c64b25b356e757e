#include "modules/events/scheduler.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace wp::events {

Scheduler::Scheduler(EventsService& service, std::chrono::milliseconds interval)
    : service_(service), interval_(interval), worker_id_("node-" + random_hex(6)) {}

void Scheduler::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      auto r = service_.tick(now_ms(), worker_id_);
      if (r.started || r.ended || r.reminders_sent)
        spdlog::debug("events: {} started, {} ended, {} reminders", r.started, r.ended, r.reminders_sent);
    } catch (const std::exception& e) {
      // A database that is away now is there again at a later pass; nothing is lost.
      spdlog::warn("events scheduler: {}", e.what());
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace wp::events
