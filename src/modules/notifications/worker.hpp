#pragma once
// One thread that runs the notifications' background steps: the email
// outbox, digests and retention (`outbox`: `watchparty worker`, and `serve`
// when run_workers_in_serve is on), and the party-start scan (`party_starts`:
// every `serve`, which has the live channel).
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/mailer.hpp"
#include "modules/notifications/service.hpp"

namespace wp::notifications {

class Worker {
 public:
  Worker(NotificationsService& service, Mailer& mailer, int poll_ms, bool outbox, bool party_starts);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  // A mail being handed over finishes first (SMTP has its own timeout).
  void stop();

 private:
  void loop();
  void round();

  NotificationsService& service_;
  Mailer& mailer_;
  int poll_ms_;
  bool outbox_;
  bool party_starts_;
  std::string id_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
  std::chrono::steady_clock::time_point next_retention_{};
};

}  // namespace wp::notifications
