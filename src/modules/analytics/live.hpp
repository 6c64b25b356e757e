#pragma once
// Live counts for the real-time view: each node puts its own on a board
// every few seconds (Redis: one hash shared by the nodes; without Redis:
// this process alone) and a reader sums the fresh ones.
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wp::realtime {
class RedisNode;
}

namespace wp::analytics {

struct NodeLive {
  std::string node_id;
  std::int64_t at = 0;  // when measured, ms
  long sockets = 0;        // every WebSocket of the node (party and /ws/user/)
  long party_sockets = 0;  // members with a party open now
  std::vector<std::string> party_rooms;  // the parties with a socket here (a party may span nodes)
  double events_per_minute = 0;
};

struct LiveTotals {
  long nodes = 0, sockets = 0, watching_now = 0, active_parties = 0;
  double events_per_minute = 0;
};

// Sums the boards' entries measured within `fresh_ms` of now; parties counted once across nodes.
LiveTotals sum_live(const std::vector<NodeLive>& nodes, std::int64_t now, std::int64_t fresh_ms);

std::string live_json_text(const NodeLive& n);
NodeLive live_from_json_text(const std::string& text);  // a bad entry reads as a stale one (at = 0)

class LiveBoard {
 public:
  virtual ~LiveBoard() = default;
  virtual void put(const NodeLive& n) = 0;
  virtual std::vector<NodeLive> all() = 0;
};

class MemoryLiveBoard : public LiveBoard {
 public:
  void put(const NodeLive& n) override;
  std::vector<NodeLive> all() override;

 private:
  std::mutex mu_;
  NodeLive self_;
};

class RedisLiveBoard : public LiveBoard {
 public:
  explicit RedisLiveBoard(realtime::RedisNode& redis) : redis_(redis) {}
  void put(const NodeLive& n) override;
  std::vector<NodeLive> all() override;

 private:
  realtime::RedisNode& redis_;
};

// Events per minute from a running total, over the last minute of samples.
class RateOverMinute {
 public:
  double add(std::int64_t now, std::uint64_t total);

 private:
  std::deque<std::pair<std::int64_t, std::uint64_t>> samples_;
};

}  // namespace wp::analytics
