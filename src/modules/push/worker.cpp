#include "modules/push/worker.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"

namespace wp::push {

Worker::Worker(PushService& service, Submit submit, int concurrency, std::chrono::milliseconds poll)
    : service_(service), submit_(std::move(submit)), concurrency_(concurrency), poll_(poll) {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  id_ = "push:" + std::string(host) + ":" + std::to_string(::getpid()) + ":" + random_hex(4);
}

Worker::~Worker() { stop(); }

void Worker::start() {
  thread_ = std::thread([this] { loop(); });
  spdlog::info("push worker started ({}, {} at once)", id_, concurrency_);
}

void Worker::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Worker::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Worker::done_one() {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
    woken_ = true;  // a slot is free: look for more at once
  }
  cv_.notify_all();
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

void Worker::loop() {
  bool failing = false;  // log a failure streak once, not at every poll
  for (;;) {
    purge_now_and_then();
    int free_slots = 0;
    {
      std::unique_lock lock(mu_);
      if (stopping_) return;
      free_slots = concurrency_ - in_flight_;
    }
    std::vector<Delivery> claimed;
    if (free_slots > 0) {
      try {
        claimed = service_.claim(id_, free_slots);
        if (failing) spdlog::info("push worker: claiming again");
        failing = false;
      } catch (const std::exception& e) {
        // Database down, or the schema not migrated yet: wait and try again.
        if (!failing) spdlog::warn("push worker: cannot claim: {}", log::redact_sql_error(e.what()));
        failing = true;
      }
    }
    bool refused = false;  // the pool is full: wait for the poll before claiming again
    for (auto& d : claimed) {
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
      if (queued) continue;
      refused = true;
      {
        std::lock_guard lock(mu_);
        --in_flight_;
      }
      try {
        service_.release(d, id_);
      } catch (const std::exception& e) {
        spdlog::warn("push {}: cannot give back (the lease expires): {}", d.push.id, log::redact_sql_error(e.what()));
      }
    }
    std::unique_lock lock(mu_);
    // A full batch may have more behind it; otherwise wait for a wake-up, a free slot or the poll.
    if (!refused && !claimed.empty() && static_cast<int>(claimed.size()) == free_slots && in_flight_ < concurrency_)
      continue;
    cv_.wait_for(lock, poll_, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

}  // namespace wp::push
