#include "modules/analytics/queue.hpp"

namespace wp::analytics {

bool EventQueue::push(EventRow row) {
  {
    std::lock_guard lock(mu_);
    if (rows_.size() < capacity_) {
      rows_.push_back(std::move(row));
      accepted_.fetch_add(1);
      return true;
    }
  }
  dropped_.fetch_add(1);
  return false;
}

std::vector<EventRow> EventQueue::take(std::size_t max) {
  std::lock_guard lock(mu_);
  std::size_t n = std::min(max, rows_.size());
  std::vector<EventRow> out(std::make_move_iterator(rows_.begin()), std::make_move_iterator(rows_.begin() + n));
  rows_.erase(rows_.begin(), rows_.begin() + n);
  return out;
}

std::size_t EventQueue::size() const {
  std::lock_guard lock(mu_);
  return rows_.size();
}

}  // namespace wp::analytics
