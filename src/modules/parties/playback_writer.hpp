#pragma once
// The durable copy of each party's playback (watch_parties.playback), written
// by one ordered, coalescing writer: a change records the newest version per
// party, and one task at a time on the blocking pool writes what is pending.
// Two changes in quick succession can therefore never be written in reverse
// order, and the store's UPDATE refuses an older version anyway. A refused
// submit or a failed write is kept and retried (retry(), on every tick), so
// a save is never dropped; until it is written, pending() answers for it.
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace wp::parties {

class PlaybackWriter {
 public:
  // Submits a task to the blocking pool; false when refused.
  using Submit = std::function<bool(std::function<void()>)>;
  // Writes one party's playback unless the stored version is newer (throws on failure).
  using Write = std::function<void(const std::string& party, long long version, const std::string& json)>;
  PlaybackWriter(Submit submit, Write write) : submit_(std::move(submit)), write_(std::move(write)) {}

  void save(const std::string& party, long long version, std::string json);
  // The newest version not yet written, if any: newer than the database's.
  std::optional<std::pair<long long, std::string>> pending(const std::string& party) const;
  // Schedules the writer again after a refusal or a failed write.
  void retry();
  // Writes what is pending now, on this thread (shutdown, tests).
  void flush();

 private:
  void schedule();
  struct Entry {
    long long version = 0;
    std::string json;
  };
  Submit submit_;
  Write write_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> pending_;
  bool scheduled_ = false;  // a flush is queued or running
  bool stalled_ = false;    // refused or failed: retry() schedules again
};

}  // namespace wp::parties
