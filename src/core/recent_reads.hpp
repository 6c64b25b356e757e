#pragma once
// Rows read from the database, kept on this node for a short while so that a
// busy client's requests need no round trip each. Whoever changes such a row
// drops its entry; an entry older than max_age is never served, which bounds
// how long a change this node is not told of leaves one stale. A read that
// began before a drop is not kept (epoch()).
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace wp {

template <class Value>
class RecentReads {
 public:
  // max_age_ms 0: nothing is kept. At capacity, expired entries go, and if none
  // has expired the cache starts over.
  RecentReads(std::int64_t max_age_ms, std::size_t capacity) : max_age_ms_(max_age_ms), capacity_(capacity) {}

  bool keeps() const { return max_age_ms_ > 0; }

  // Taken before the database read; put() is given it back.
  std::uint64_t epoch() {
    std::lock_guard lock(mu_);
    return epoch_;
  }

  std::optional<Value> get(const std::string& key, std::int64_t now) {
    if (!keeps()) return std::nullopt;
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (now - it->second.read_at >= max_age_ms_) {
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.value;
  }

  // Keeps value (read from the database at `now`) unless a drop happened since `epoch`.
  void put(const std::string& key, Value value, std::uint64_t epoch, std::int64_t now) {
    if (!keeps()) return;
    std::lock_guard lock(mu_);
    if (epoch != epoch_) return;
    if (entries_.size() >= capacity_ && !entries_.contains(key)) {
      std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.read_at >= max_age_ms_; });
      if (entries_.size() >= capacity_) entries_.clear();
    }
    entries_.insert_or_assign(key, Entry{std::move(value), now});
  }

  void drop(const std::string& key) {
    std::lock_guard lock(mu_);
    ++epoch_;
    entries_.erase(key);
  }

  // Drops every entry whose value matches; a scan, for changes that are rare.
  template <class Pred>
  void drop_if(Pred matches) {
    std::lock_guard lock(mu_);
    ++epoch_;
    std::erase_if(entries_, [&](const auto& kv) { return matches(kv.second.value); });
  }

  void clear() {
    std::lock_guard lock(mu_);
    ++epoch_;
    entries_.clear();
  }

 private:
  struct Entry {
    Value value;
    std::int64_t read_at = 0;
  };
  const std::int64_t max_age_ms_;
  const std::size_t capacity_;
  std::mutex mu_;
  std::uint64_t epoch_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace wp
