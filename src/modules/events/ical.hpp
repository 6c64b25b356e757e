#pragma once
// RFC 5545 output: text escaping, 75-octet line folding, UTC date-times and
// VCALENDAR/VEVENT writing. Pure functions; tests/unit/events_ical_test.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wp::events::ical {

// TEXT value escaping (3.3.11): backslash, semicolon, comma; newlines as \n.
std::string escape_text(std::string_view text);
// One content line, folded (3.1): no line longer than 75 octets before its
// CRLF, continuation lines start with a space, UTF-8 sequences never split.
std::string fold(std::string_view line);
// A DATE-TIME in UTC form (3.3.5): 20261205T190000Z.
std::string utc_time(std::int64_t epoch_ms);

struct VEvent {
  std::string uid;
  std::int64_t stamp = 0, start = 0, end = 0;
  std::string summary, description, location, url;
  std::string organizer_name, organizer_uri;
  std::string status;  // TENTATIVE, CONFIRMED or CANCELLED
  std::string rrule;   // without "RRULE:", or empty
  std::int64_t sequence = 0;
};

// A whole VCALENDAR with these events (CRLF line ends, folded).
std::string calendar(const std::vector<VEvent>& events, std::string_view name = {});

}  // namespace wp::events::ical
