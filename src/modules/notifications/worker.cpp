#include "modules/notifications/worker.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"

namespace wp::notifications {

Worker::Worker(NotificationsService& service, Mailer& mailer, int poll_ms, bool outbox, bool party_starts)
    : service_(service), mailer_(mailer), poll_ms_(poll_ms), outbox_(outbox), party_starts_(party_starts) {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  id_ = std::string(host) + ":" + std::to_string(::getpid()) + ":" + random_hex(4) + "/notifications";
}

Worker::~Worker() { stop(); }

void Worker::start() {
  thread_ = std::thread([this] { loop(); });
  spdlog::info("notifications worker started ({})", id_);
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

void Worker::round() {
  // A bounded number of mails per round, so the other steps still run under a backlog.
  if (party_starts_) service_.notify_party_starts();
  if (!outbox_) return;
  for (int i = 0; i < 100 && !stopping_ && service_.send_next_email(id_, mailer_); ++i) {
  }
  service_.fold_due_digests();
  if (std::chrono::steady_clock::now() >= next_retention_) {
    next_retention_ = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    service_.enforce_retention();
  }
}

void Worker::loop() {
  bool failing = false;  // log a failure streak once, not at every poll
  while (!stopping_) {
    try {
      round();
      if (failing) spdlog::info("notifications worker {}: working again", id_);
      failing = false;
    } catch (const std::exception& e) {
      // Database down, or the schema not migrated yet: wait and try again.
      if (!failing) spdlog::warn("notifications worker {}: {}", id_, log::redact_sql_error(e.what()));
      failing = true;
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] { return stopping_.load(); });
  }
}

}  // namespace wp::notifications
