#include "modules/push/worker.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/log.hpp"

namespace wp::push {

Worker::Worker(PushService& service, Submit submit, int concurrency, std::chrono::milliseconds poll)
    : service_(service),
      submit_(std::move(submit)),
      concurrency_(concurrency),
      id_(worker_id("push")),
      thread_("push worker", poll, [this] { return round(); }) {}

void Worker::start() {
  thread_.start();
  spdlog::info("push worker started ({}, {} at once)", id_, concurrency_);
}

void Worker::done_one() {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  thread_.wake();  // a slot is free: look for more at once
}

void Worker::purge_now_and_then() {
  auto now = std::chrono::steady_clock::now();
  if (now < next_purge_) return;
  next_purge_ = now + std::chrono::minutes(10);
  try {
    if (auto n = service_.purge()) spdlog::info("push: {} settled push row(s) past the retention deleted", n);
  } catch (const std::exception& e) {
    spdlog::warn("push: cannot delete old rows: {}", log::redact_sql_error(e.what()));
  }
}

bool Worker::round() {
  purge_now_and_then();
  int free_slots = 0;
  {
    std::lock_guard lock(mu_);
    free_slots = concurrency_ - in_flight_;
  }
  if (free_slots <= 0) return false;  // done_one() wakes us
  auto claimed = service_.claim(id_, free_slots);
  bool refused = false;  // the pool is full: wait for the poll before claiming again
  for (auto& d : claimed) refused = !hand_over(d) || refused;
  // A full batch may have more behind it.
  return !refused && !claimed.empty() && static_cast<int>(claimed.size()) == free_slots;
}

bool Worker::hand_over(const Delivery& d) {
  {
    std::lock_guard lock(mu_);
    ++in_flight_;
  }
  bool queued = submit_([this, d] {
    try {
      service_.deliver(d, id_);
    } catch (const std::exception& e) {
      // The database went away mid-send: the lease expires and the claim decides.
      spdlog::error("push {}: not recorded: {}", d.push.id, log::redact_sql_error(e.what()));
    }
    done_one();
  });
  if (queued) return true;
  {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  try {
    service_.release(d, id_);
  } catch (const std::exception& e) {
    spdlog::warn("push {}: cannot give back (the lease expires): {}", d.push.id, log::redact_sql_error(e.what()));
  }
  return false;
}

}  // namespace wp::push
