#pragma once
// Runs tasks one after another, in order, on the blocking pool: what one
// WebSocket client sends is handled in the order it was sent. A task never
// runs on the thread that posts it (an I/O thread).
#include <functional>
#include <list>
#include <memory>
#include <mutex>

#include <spdlog/spdlog.h>

#include "core/blocking_pool.hpp"

namespace wp {

class SerialQueue : public std::enable_shared_from_this<SerialQueue> {
 public:
  SerialQueue(BlockingPool& pool, std::size_t max_pending) : pool_(pool), max_pending_(max_pending) {}

  // False when too much is pending or the pool refuses: the caller answers "busy".
  bool post(std::function<void()> task) { return enqueue(std::move(task), false); }

  // For what must not be dropped (a goodbye, posted once per queue): queued
  // past this queue's bound and past the pool's (BlockingPool::submit_always
  // documents why that stays bounded). False only when the pool is stopping.
  bool post_always(std::function<void()> task) { return enqueue(std::move(task), true); }

 private:
  bool enqueue(std::function<void()> task, bool always) {
    bool start = false;
    {
      std::lock_guard lock(mu_);
      if (!always && tasks_.size() >= max_pending_) return false;
      tasks_.push_back(std::move(task));
      if (!running_) running_ = start = true;
    }
    if (!start) return true;
    auto drain = [self = shared_from_this()] { self->drain(); };
    if (always ? pool_.submit_always(std::move(drain)) : pool_.try_submit(std::move(drain))) return true;
    std::lock_guard lock(mu_);
    tasks_.clear();
    running_ = false;
    return false;
  }

  void drain() {
    for (;;) {
      std::function<void()> task;
      {
        std::lock_guard lock(mu_);
        if (tasks_.empty()) {
          running_ = false;
          return;
        }
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      // A failing task must not stall the ones behind it.
      try {
        task();
      } catch (const std::exception& e) {
        spdlog::error("serial task failed: {}", e.what());
      }
    }
  }

  BlockingPool& pool_;
  std::size_t max_pending_;
  std::mutex mu_;
  // A list, not a deque: an empty one holds no memory, and there is one queue per socket.
  std::list<std::function<void()>> tasks_;
  bool running_ = false;
};

}  // namespace wp
