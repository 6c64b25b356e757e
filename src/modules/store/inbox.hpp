#pragma once
// The achievements' listener of wp::DomainEvents: it only copies an event
// into a bounded queue (dropping and counting when full) and asks the
// blocking pool to drain it; the drain applies events one by one, one drain
// at a time. A refused submit is tried again by the next event or by
// retry(), which app.cpp calls every second.
#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "core/domain_events.hpp"

namespace wp::store {

class Inbox {
 public:
  using Submit = std::function<bool(std::function<void()>)>;
  using Apply = std::function<void(const DomainEvent&)>;
  Inbox(std::size_t capacity, Submit submit, Apply apply)
      : capacity_(capacity), submit_(std::move(submit)), apply_(std::move(apply)) {}

  // The DomainEvents listener: never blocks beyond a short lock, never runs SQL.
  void push(const DomainEvent& event);
  void retry() { kick(); }
  // Runs what is queued on the calling thread (tests).
  void drain_now() { drain(); }

  std::size_t queued() const;
  std::uint64_t dropped() const { return dropped_.load(); }
  std::uint64_t failed() const { return failed_.load(); }

 private:
  void kick();
  void drain();

  const std::size_t capacity_;
  Submit submit_;
  Apply apply_;
  mutable std::mutex mu_;
  std::deque<DomainEvent> queue_;
  std::atomic<bool> scheduled_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> failed_{0};
};

}  // namespace wp::store
