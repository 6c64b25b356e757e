#include "modules/store/inbox.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"

namespace wp::store {

void Inbox::push(const DomainEvent& event) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= capacity_) {
      if (dropped_.fetch_add(1) % 1000 == 0) spdlog::warn("achievements: event queue full, dropping {}", event.type);
      return;
    }
    queue_.push_back(event);
  }
  kick();
}

std::size_t Inbox::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void Inbox::kick() {
  if (scheduled_.exchange(true)) return;  // a drain is queued or running: it will see the event
  if (!submit_([this] { drain(); })) scheduled_ = false;
}

void Inbox::drain() {
  for (;;) {
    DomainEvent event;
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) {
        scheduled_ = false;
        return;
      }
      event = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      apply_(event);
    } catch (const Error& e) {
      // The database away: the event is lost (counted), as a full queue would lose it.
      failed_.fetch_add(1);
      spdlog::warn("achievements: {} of {} not counted: {}", event.type, event.user_id, e.what());
    }
  }
}

}  // namespace wp::store
