#pragma once
// The occurrences of a recurring event: the same local time in the event's
// time zone, every week or month, so a series keeps its wall-clock time
// across daylight-saving changes. ICU does the calendar arithmetic.
#include <cstdint>
#include <string>
#include <vector>

#include "modules/events/model.hpp"

namespace wp::events {

inline constexpr std::size_t kMaxOccurrences = 60;

// Start times: `start` and each step after it while not after `until`, at most kMaxOccurrences.
// A monthly step from the 31st lands on the last day of shorter months.
std::vector<std::int64_t> occurrences(std::int64_t start, Recurrence frequency, std::int64_t until,
                                      const std::string& timezone);
// The RFC 5545 RRULE value of a series from here on: FREQ=WEEKLY;UNTIL=20270101T000000Z.
std::string rrule(Recurrence frequency, std::int64_t until);

}  // namespace wp::events
