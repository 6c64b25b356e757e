#include "modules/events/recurrence.hpp"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <memory>
#include <stdexcept>

#include "modules/events/ical.hpp"

namespace wp::events {

std::vector<std::int64_t> occurrences(std::int64_t start, Recurrence frequency, std::int64_t until,
                                      const std::string& timezone) {
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar cal(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone)), status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU calendar: " + std::string(u_errorName(status)));
  auto field = frequency == Recurrence::weekly ? UCAL_WEEK_OF_YEAR : UCAL_MONTH;
  std::vector<std::int64_t> out;
  for (int i = 0; out.size() < kMaxOccurrences; ++i) {
    // Each step from the first start, not from the previous one: Jan 31 + 2 months is Mar 31, not Mar 28.
    cal.setTime(static_cast<UDate>(start), status);
    cal.add(field, i, status);
    auto t = static_cast<std::int64_t>(cal.getTime(status));
    if (U_FAILURE(status)) throw std::runtime_error("ICU calendar: " + std::string(u_errorName(status)));
    if (t > until) break;
    out.push_back(t);
  }
  return out;
}

std::string rrule(Recurrence frequency, std::int64_t until) {
  return std::string("FREQ=") + (frequency == Recurrence::weekly ? "WEEKLY" : "MONTHLY") +
         ";UNTIL=" + ical::utc_time(until);
}

}  // namespace wp::events
