#pragma once
// A fixed set of threads for blocking work (SQL, password hashing, ffmpeg),
// with a bounded queue: when it is full, try_submit refuses and the caller
// answers 503 instead of letting memory and latency grow without bound.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/thread_priority.hpp"

namespace wp {

class BlockingPool {
 public:
  // Each thread sets its own priority first (a refusal is logged and the
  // thread keeps the process's).
  BlockingPool(int threads, int max_queued, ThreadPriority priority = {});
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // False when the queue is full or the pool is stopping; the task is then
  // not run, and the caller must say what happens instead (answer busy,
  // retry later, or log what is lost).
  [[nodiscard]] bool try_submit(std::function<void()> task);
  // For work that must run (a socket's goodbye): queued past the bound. Its
  // caller bounds it instead: at most one such task per connection, and
  // connections are capped (max_connections), so the queue never holds more
  // than max_queued + max_connections. False only once the pool is stopping.
  [[nodiscard]] bool submit_always(std::function<void()> task);
  // Runs what is queued, then joins the threads.
  void stop();

  std::size_t queued() const;
  int busy() const { return busy_.load(); }
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  static constexpr int kLooksBeforeSleep = 32;
  static constexpr std::chrono::microseconds kBusyGap{50};
  void run(ThreadPriority priority);
  bool push(std::function<void()> task, bool past_bound);

  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::atomic<std::size_t> queued_{0};  // queue_.size(), for a worker's look without the lock
  bool stopping_ = false;
  std::atomic<int> busy_{0};
  std::vector<std::thread> workers_;
};

}  // namespace wp
