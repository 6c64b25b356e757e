#include "modules/events/scheduler.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"

namespace wp::events {

Scheduler::Scheduler(EventsService& service, std::chrono::milliseconds interval)
    : service_(service), worker_id_(worker_id("events")), thread_("events scheduler", interval, [this] { return pass(); }) {}

bool Scheduler::pass() {
  auto r = service_.tick(now_ms(), worker_id_);
  if (r.started || r.ended || r.reminders_sent)
    spdlog::debug("events: {} started, {} ended, {} reminders", r.started, r.ended, r.reminders_sent);
  return false;
}

}  // namespace wp::events
