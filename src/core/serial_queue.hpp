#pragma once
// Runs tasks one after another, in order, on the blocking pool: what one
// WebSocket client sends is handled in the order it was sent.
#include <list>
#include <functional>
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

  // For what must not be dropped (a goodbye): queued past the bound, and run
  // here and now if the pool refuses it.
  void post_always(std::function<void()> task) {
    if (!enqueue(task, true)) task();
  }

 private:
  bool enqueue(std::function<void()> task, bool always) {
    bool start = false;
    {
      std::lock_guard lock(mu_);
      if (!always && tasks_.size() >= max_pending_) return false;
      tasks_.push_back(std::move(task));
      if (!running_) running_ = start = true;
    }
    if (start && !pool_.try_submit([self = shared_from_this()] { self->drain(); })) {
      std::lock_guard lock(mu_);
      tasks_.clear();
      running_ = false;
      return false;
    }
    return true;
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
