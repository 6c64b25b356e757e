#pragma once
// The staff dashboard's live stream: the /ws/user/ sockets of this node that
// asked for the live counts (`analytics_live`), each with a lease the client
// renews; the live thread sends the totals of every node to each of them
// every few seconds. A socket that closed without a word drops out when its
// lease runs out (the channel tells no module about closed sockets).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "modules/analytics/live.hpp"

namespace wp::analytics {

// A subscription lasts this long unless renewed (the client renews every 20 s).
inline constexpr std::int64_t kLiveLeaseMs = 30'000;
// At most this many sockets on one node (each is a staff member's tab).
inline constexpr std::size_t kMaxLiveSubscribers = 1000;

class LiveSubscribers {
 public:
  // Queues the totals on one socket (the transport formats them); thread-safe, never blocks.
  using Send = std::function<void(const LiveTotals& totals, std::int64_t at)>;
  // Adds or renews the socket's lease; false when the node has no room for another.
  bool subscribe(const std::string& socket_id, Send send, std::int64_t now);
  void unsubscribe(const std::string& socket_id);
  // Drops the lapsed leases; true when anyone is left (the caller sums the board only then).
  bool any(std::int64_t now);
  // Sends the totals to every socket with a lease (outside the lock).
  void send_all(const LiveTotals& totals, std::int64_t now);
  std::size_t size();

 private:
  struct Lease {
    Send send;
    std::int64_t expires_at = 0;
  };
  void drop_lapsed(std::int64_t now);

  std::mutex mu_;
  std::map<std::string, Lease> leases_;
};

}  // namespace wp::analytics
