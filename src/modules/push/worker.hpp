#pragma once
// The thread that drains the push outbox: it leases due rows (at most
// `concurrency` in flight) and hands each send to the blocking pool, where
// libcurl waits for the push service. Used by `serve` (with
// run_workers_in_serve) and by `watchparty worker`.
#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "core/periodic.hpp"
#include "modules/push/service.hpp"

namespace wp::push {

class Worker {
 public:
  // submit: the pool's try_submit (false: refused, the row is given back).
  using Submit = std::function<bool(std::function<void()>)>;
  Worker(PushService& service, Submit submit, int concurrency, std::chrono::milliseconds poll);

  void start();
  // Stops claiming; sends already handed to the pool finish there.
  void stop() { thread_.stop(); }
  // Rows were queued: claim now rather than at the next poll.
  void wake() { thread_.wake(); }

 private:
  bool round();
  bool hand_over(const Delivery& d);  // false: the pool refused it
  void done_one();
  void purge_now_and_then();  // retention, at most every 10 minutes

  PushService& service_;
  Submit submit_;
  int concurrency_;
  std::string id_;
  std::mutex mu_;
  int in_flight_ = 0;
  std::chrono::steady_clock::time_point next_purge_{};
  Periodic thread_;  // last: its thread runs round() on the members above
};

}  // namespace wp::push
