#pragma once
// A background thread that runs one round of work every interval, or at
// once when woken: the workers of the outboxes and the events scheduler.
// A round that throws (the database away, the schema not migrated yet) is
// logged once per failure streak and tried again at the next interval.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace wp {

class Periodic {
 public:
  // Returns true to run again at once (a full batch may have more behind it).
  using Round = std::function<bool()>;
  Periodic(std::string name, std::chrono::milliseconds interval, Round round);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void start();
  // The round under way finishes first.
  void stop();
  // Run a round now rather than at the next interval.
  void wake();
  // For a long round: true once stop() was called.
  bool stopping() const;

 private:
  void loop();

  std::string name_;
  std::chrono::milliseconds interval_;
  Round round_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

// Names this process in leases and claims: "host:pid:random/role".
std::string worker_id(std::string_view role);

}  // namespace wp
