#pragma once
// The events the modules publish (wp::DomainEvents), on their way to the
// database. push() never blocks a caller (an I/O strand may be one): it takes
// a short lock, and when the queue is full it drops the event and counts it.
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "modules/analytics/model.hpp"

namespace wp::analytics {

class EventQueue {
 public:
  explicit EventQueue(std::size_t capacity) : capacity_(capacity) {}

  // False (and counted in dropped()) when full.
  bool push(EventRow row);
  // Up to max rows, oldest first.
  std::vector<EventRow> take(std::size_t max);

  std::size_t size() const;
  std::size_t capacity() const { return capacity_; }
  std::uint64_t dropped() const { return dropped_.load(); }
  std::uint64_t accepted() const { return accepted_.load(); }

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::deque<EventRow> rows_;
  std::atomic<std::uint64_t> dropped_{0}, accepted_{0};
};

}  // namespace wp::analytics
