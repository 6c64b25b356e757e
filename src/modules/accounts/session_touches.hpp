#pragma once
// When each session was last seen, gathered in memory and written in one
// transaction per round (AccountsService::flush_session_touches), so that an
// authenticated request never waits on a write: on SQLite every write also
// empties the other connections' page caches.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace wp::accounts {

struct SessionTouch {
  std::string session_id;
  std::int64_t at = 0;
};

class SessionTouches {
 public:
  explicit SessionTouches(std::size_t capacity) : capacity_(capacity) {}

  // False when full: the caller writes this one itself.
  bool note(const std::string& session_id, std::int64_t at);
  // Everything noted so far, latest time per session; empties the set.
  std::vector<SessionTouch> take();

 private:
  std::size_t capacity_;
  std::mutex mu_;
  std::unordered_map<std::string, std::int64_t> pending_;
};

}  // namespace wp::accounts
