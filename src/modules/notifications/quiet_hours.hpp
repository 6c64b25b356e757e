#pragma once
// Quiet hours: a daily span of local time (minutes of the day, in the
// user's profile timezone) during which push waits and email goes to the
// next digest. The offset comes from the system's zoneinfo files (TZif),
// read once per zone; GCC 12 has no std::chrono time zones.
#include <cstdint>
#include <optional>
#include <string>

namespace wp::notifications {

// Seconds east of UTC in `zone` at `at_ms`; 0 for an unknown or empty zone (UTC).
int utc_offset_s(const std::string& zone, std::int64_t at_ms);

// When the quiet span [start, end) (minutes of the local day; end < start
// wraps past midnight) holds at `now_ms`, the instant it ends; else nullopt.
// start == end is no quiet hours at all.
std::optional<std::int64_t> quiet_until(std::int64_t now_ms, const std::string& zone, int start_min, int end_min);

}  // namespace wp::notifications
