#pragma once
// The thread that drains the push outbox: it leases due rows (at most
// `concurrency` in flight) and hands each send to the blocking pool, where
// libcurl waits for the push service. Used by `serve` (with
// run_workers_in_serve) and by `watchparty worker`.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "modules/push/service.hpp"

namespace wp::push {

class Worker {
 public:
  // submit: the pool's try_submit (false: refused, the row is given back).
  using Submit = std::function<bool(std::function<void()>)>;
  Worker(PushService& service, Submit submit, int concurrency, std::chrono::milliseconds poll);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  // Stops claiming; sends already handed to the pool finish there.
  void stop();
  // Rows were queued: claim now rather than at the next poll.
  void wake();

 private:
  void loop();
  void done_one();
  void purge_now_and_then();  // retention, at most every 10 minutes

  PushService& service_;
  Submit submit_;
  int concurrency_;
  std::chrono::milliseconds poll_;
  std::string id_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  int in_flight_ = 0;
  std::chrono::steady_clock::time_point next_purge_{};
  std::thread thread_;
};

}  // namespace wp::push
