#pragma once
// The thread that runs EventsService::tick once a second on this node.
// Several nodes may each run one: every step of a pass is claimed in SQL.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "modules/events/service.hpp"

namespace wp::events {

class Scheduler {
 public:
  Scheduler(EventsService& service, std::chrono::milliseconds interval = std::chrono::seconds(1));
  ~Scheduler() { stop(); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start();
  void stop();

 private:
  void run();
  EventsService& service_;
  std::chrono::milliseconds interval_;
  std::string worker_id_;  // names this node in event_reminders.sent_by
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wp::events
