#pragma once
// The chat messages this node's members of one room were sent, so that after
// Redis comes back the node can send them what it never heard (stored, but
// published while its subscription was down) and nothing twice. Bounded: past
// the last kRemembered ids only the time floor is kept, and nothing older than
// the floor is replayed. Not thread-safe: the room's `mu` guards it.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_set>
#include <utility>

namespace wp::parties {

class SeenChat {
 public:
  // floor_ms: messages sent before it are never replayed (members who came
  // later got them in party_state).
  explicit SeenChat(std::int64_t floor_ms = 0) : floor_ms_(floor_ms) {}
  // A message on its way to this node's members: true the first time.
  bool first_time(const std::string& id);
  // A stored message: true (and now seen) when it is newer than the floor
  // and this node's members were never sent it.
  bool missed(const std::string& id, std::int64_t sent_at);

  // More than a replay looks through (200), and small: a room with members
  // online keeps a 64-bit hash and a time per id (about 10 KB).
  static constexpr std::size_t kRemembered = 256;

 private:
  void remember(std::uint64_t key, std::int64_t ms);

  std::int64_t floor_ms_;
  std::deque<std::pair<std::uint64_t, std::int64_t>> order_;  // hash of the id, its time
  std::unordered_set<std::uint64_t> keys_;
};

// The millisecond time in a UUIDv7 (its first 48 bits); 0 when id is not one.
std::int64_t uuid_v7_ms(const std::string& id);

}  // namespace wp::parties
