#pragma once
// Runs EventsService::tick once a second on this node. Several nodes may
// each run one: every step of a pass is claimed in SQL.
#include <chrono>
#include <string>

#include "core/periodic.hpp"
#include "modules/events/service.hpp"

namespace wp::events {

class Scheduler {
 public:
  Scheduler(EventsService& service, std::chrono::milliseconds interval = std::chrono::seconds(1));

  void start() { thread_.start(); }
  void stop() { thread_.stop(); }

 private:
  bool pass();

  EventsService& service_;
  std::string worker_id_;  // names this node in event_reminders.sent_by
  Periodic thread_;
};

}  // namespace wp::events
