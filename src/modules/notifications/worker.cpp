#include "modules/notifications/worker.hpp"

#include <spdlog/spdlog.h>

namespace wp::notifications {

Worker::Worker(NotificationsService& service, Mailer& mailer, int poll_ms, bool outbox, bool party_starts)
    : service_(service),
      mailer_(mailer),
      outbox_(outbox),
      party_starts_(party_starts),
      id_(worker_id("notifications")),
      thread_("notifications worker", std::chrono::milliseconds(poll_ms), [this] { return round(); }) {}

void Worker::start() {
  thread_.start();
  spdlog::info("notifications worker started ({})", id_);
}

bool Worker::round() {
  // A bounded number of mails per round, so the other steps still run under a backlog.
  if (party_starts_) service_.notify_party_starts();
  if (!outbox_) return false;
  for (int i = 0; i < 100 && !thread_.stopping() && service_.send_next_email(id_, mailer_); ++i) {
  }
  service_.fold_due_digests();
  if (std::chrono::steady_clock::now() >= next_retention_) {
    next_retention_ = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    service_.enforce_retention();
  }
  return false;
}

}  // namespace wp::notifications
