#include "modules/parties/playback_writer.hpp"

#include <spdlog/spdlog.h>

#include <vector>

#include "core/error.hpp"

namespace wp::parties {

void PlaybackWriter::save(const std::string& party, long long version, std::string json) {
  {
    std::lock_guard lock(mu_);
    auto& e = pending_[party];
    if (version <= e.version) return;  // a newer one is already waiting
    e = {version, std::move(json)};
  }
  schedule();
}

std::optional<std::pair<long long, std::string>> PlaybackWriter::pending(const std::string& party) const {
  std::lock_guard lock(mu_);
  auto it = pending_.find(party);
  if (it == pending_.end()) return std::nullopt;
  return std::make_pair(it->second.version, it->second.json);
}

void PlaybackWriter::retry() {
  {
    std::lock_guard lock(mu_);
    if (!stalled_) return;
    stalled_ = false;
  }
  schedule();
}

void PlaybackWriter::schedule() {
  {
    std::lock_guard lock(mu_);
    if (scheduled_ || pending_.empty()) return;
    scheduled_ = true;
  }
  if (submit_([this] { flush(); })) return;
  std::lock_guard lock(mu_);
  scheduled_ = false;
  stalled_ = true;  // the pool is full: the next tick tries again
  spdlog::warn("saving playback deferred: the blocking pool is full");
}

void PlaybackWriter::flush() {
  for (;;) {
    std::vector<std::pair<std::string, Entry>> batch;
    {
      std::lock_guard lock(mu_);
      if (pending_.empty()) {
        scheduled_ = false;
        return;
      }
      batch.assign(pending_.begin(), pending_.end());
    }
    for (auto& [party, entry] : batch) {
      try {
        write_(party, entry.version, entry.json);
      } catch (const Error& e) {
        spdlog::warn("saving playback of {} failed (retried): {}", party, e.what());
        std::lock_guard lock(mu_);
        scheduled_ = false;
        stalled_ = true;
        return;
      }
      std::lock_guard lock(mu_);
      // Written, unless a newer change came meanwhile (that one stays pending).
      if (auto it = pending_.find(party); it != pending_.end() && it->second.version == entry.version)
        pending_.erase(it);
    }
  }
}

}  // namespace wp::parties
