#pragma once
// One thread that runs the notifications' background steps: the email
// outbox, digests and retention (`outbox`: `watchparty worker`, and `serve`
// when run_workers_in_serve is on), and the party-start scan (`party_starts`:
// every `serve`, which has the live channel).
#include <chrono>
#include <string>

#include "core/mailer.hpp"
#include "core/periodic.hpp"
#include "modules/notifications/service.hpp"

namespace wp::notifications {

class Worker {
 public:
  Worker(NotificationsService& service, Mailer& mailer, int poll_ms, bool outbox, bool party_starts);

  void start();
  // A mail being handed over finishes first (SMTP has its own timeout).
  void stop() { thread_.stop(); }

 private:
  bool round();

  NotificationsService& service_;
  Mailer& mailer_;
  bool outbox_;
  bool party_starts_;
  std::string id_;
  std::chrono::steady_clock::time_point next_retention_{};
  Periodic thread_;  // last: its thread runs round() on the members above
};

}  // namespace wp::notifications
