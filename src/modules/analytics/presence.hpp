#pragma once
// Who was in a party when, from its party.connected / party.disconnected
// events, pure: the members present over time (distinct users: a member on
// two nodes counts once), its peak and average, who left before the end, and
// the same per hour and per day bucket for the party rollup.
#include <cstdint>
#include <string>
#include <vector>

#include "modules/analytics/rollup.hpp"

namespace wp::analytics {

// One presence change: +1 (party.connected) or -1 (party.disconnected) of a
// member's sockets on one node.
struct PresenceEvent {
  std::int64_t at = 0;
  std::string user_id;
  int delta = 0;
};

// A presence with no event of that member for this long is taken as ended
// then: a node that died never published its disconnections.
inline constexpr std::int64_t kPresenceStaleMs = 24LL * 3'600'000;
// A member still there this close to the end "stayed to the end".
inline constexpr std::int64_t kStayedToEndMs = 60'000;
// At most this many points in a party's members curve.
inline constexpr std::int64_t kCurvePoints = 1440;

// Presence within one rollup bucket.
struct PresenceBucket {
  std::int64_t bucket_start = 0;
  std::int64_t peak = 0;       // the most members present at once
  std::int64_t member_ms = 0;  // members present × time, summed
  std::int64_t live_ms = 0;    // time with anyone present
  std::int64_t at_end = 0;     // present at the bucket's end (or at `now`)
};

struct PartyPresence {
  std::int64_t started_at = 0;  // the first connection
  std::int64_t ended_at = 0;    // the last member gone, or `now` while anyone is present
  bool live = false;            // someone present at `now`
  std::int64_t members = 0;     // distinct members who connected
  std::int64_t peak = 0;
  std::int64_t member_ms = 0, live_ms = 0;  // average concurrent = member_ms / live_ms
  std::int64_t present_now = 0;
  std::int64_t left_early = 0;  // members gone more than kStayedToEndMs before the end
  // The members curve: the most present in each slot of slot_ms from started_at.
  std::int64_t slot_ms = 60'000;
  std::vector<std::int64_t> curve;
  std::vector<PresenceBucket> hours, days;  // buckets with anyone present or any change
};

// `events` in any order; nullopt-like empty result (members == 0) without a connection.
PartyPresence party_presence(std::vector<PresenceEvent> events, std::int64_t now);

}  // namespace wp::analytics
