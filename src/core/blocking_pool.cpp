#include "core/blocking_pool.hpp"

#include <spdlog/spdlog.h>

namespace wp {

BlockingPool::BlockingPool(int threads, int max_queued, ThreadPriority priority)
    : max_queued_(static_cast<std::size_t>(max_queued)) {
  workers_.reserve(threads);
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this, priority] { run(priority); });
}

BlockingPool::~BlockingPool() { stop(); }

bool BlockingPool::try_submit(std::function<void()> task) { return push(std::move(task), false); }

bool BlockingPool::submit_always(std::function<void()> task) { return push(std::move(task), true); }

bool BlockingPool::push(std::function<void()> task, bool past_bound) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || (!past_bound && queue_.size() >= max_queued_)) return false;
    queue_.push_back(std::move(task));
    queued_.store(queue_.size(), std::memory_order_relaxed);
  }
  cv_.notify_one();
  return true;
}

void BlockingPool::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
}

std::size_t BlockingPool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void BlockingPool::run(ThreadPriority priority) {
  if (priority.policy != SchedPolicy::other || priority.nice != 0) {
    if (auto refused = apply_to_this_thread(priority))
      spdlog::warn("pool thread keeps the process's priority ({} nice {} refused: {})", to_string(priority.policy),
                   priority.nice, *refused);
  }
  // Under load the next task comes within microseconds: a worker that
  // found its last task soon after the one before looks for the next a few
  // times, giving its CPU away in between, before it sleeps. Sleeping and
  // being woken cost a futex call on each side and two context switches per
  // task; at a low rate of tasks a worker sleeps at once and spends nothing.
  bool busy_period = false;
  for (;;) {
    std::function<void()> task;
    auto free_at = std::chrono::steady_clock::now();
    for (int i = 0; busy_period && i < kLooksBeforeSleep && queued_.load(std::memory_order_relaxed) == 0; ++i)
      std::this_thread::yield();
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
      queued_.store(queue_.size(), std::memory_order_relaxed);
    }
    busy_period = std::chrono::steady_clock::now() - free_at < kBusyGap;
    ++busy_;
    // Tasks own their error handling; this only keeps one bad task from
    // taking the whole process down, and says so.
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error("blocking task failed: {}", e.what());
    }
    --busy_;
  }
}

}  // namespace wp
