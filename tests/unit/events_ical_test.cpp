// The RFC 5545 writer and the series arithmetic: escaping, 75-octet folding
// (never inside a UTF-8 sequence), UTC times, RRULE, local time across DST.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "modules/events/ical.hpp"
#include "modules/events/recurrence.hpp"

namespace {

using namespace wp::events;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find("\r\n", at);
    EXPECT_NE(end, std::string::npos) << "every line ends with CRLF";
    if (end == std::string::npos) break;
    out.push_back(text.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

std::string unfold(const std::string& folded) {
  std::string out;
  for (auto& l : lines_of(folded)) out += l.empty() || l[0] != ' ' ? l : l.substr(1);
  return out;
}

TEST(EventsIcal, TextIsEscaped) {
  EXPECT_EQ(ical::escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
  EXPECT_EQ(ical::escape_text(std::string("bell\x07") + "ok"), "bellok");
}

TEST(EventsIcal, LongLinesFoldAt75OctetsWithoutSplittingUtf8) {
  std::string value;
  for (int i = 0; i < 60; ++i) value += "é€😀a";  // 2, 3, 4 and 1 octets
  auto folded = ical::fold("DESCRIPTION:" + value);
  for (auto& l : lines_of(folded)) {
    EXPECT_LE(l.size(), 75u);
    ASSERT_FALSE(l.empty());
    // A line never starts (after its fold space) with a continuation byte.
    auto first = static_cast<unsigned char>(l[0] == ' ' ? l[1] : l[0]);
    EXPECT_NE(first & 0xC0, 0x80);
  }
  EXPECT_EQ(unfold(folded), "DESCRIPTION:" + value);
  EXPECT_EQ(ical::fold("SHORT:x"), "SHORT:x\r\n");
  EXPECT_EQ(lines_of(ical::fold(std::string(75, 'x'))).size(), 1u);
  EXPECT_EQ(lines_of(ical::fold(std::string(76, 'x'))).size(), 2u);
}

TEST(EventsIcal, ACalendarHasTheRequiredPropertiesInUtc) {
  ical::VEvent e;
  e.uid = "abc@watchparty";
  e.stamp = *wp::parse_rfc3339("2026-12-01T10:00:00Z");
  e.start = *wp::parse_rfc3339("2026-12-24T19:30:00Z");
  e.end = *wp::parse_rfc3339("2026-12-24T22:00:00.500Z");
  e.summary = "Xmas, film";
  e.organizer_name = "ann \"the\" host";
  e.organizer_uri = "urn:uuid:1";
  e.status = "CONFIRMED";
  e.rrule = rrule(Recurrence::weekly, *wp::parse_rfc3339("2027-02-01T00:00:00Z"));
  auto text = ical::calendar({e}, "Mine");
  auto unfolded = unfold(text);
  for (auto want : {"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:", "BEGIN:VEVENT", "UID:abc@watchparty",
                    "DTSTAMP:20261201T100000Z", "DTSTART:20261224T193000Z", "DTEND:20261224T220000Z",
                    "SUMMARY:Xmas\\, film", "ORGANIZER;CN=\"ann the host\":urn:uuid:1", "STATUS:CONFIRMED",
                    "RRULE:FREQ=WEEKLY;UNTIL=20270201T000000Z", "END:VEVENT", "END:VCALENDAR", "X-WR-CALNAME:Mine"})
    EXPECT_NE(unfolded.find(want), std::string::npos) << want;
  EXPECT_EQ(unfolded.find("DESCRIPTION"), std::string::npos) << "empty text properties are left out";
}

TEST(EventsRecurrence, AWeeklySeriesKeepsItsLocalTimeAcrossDaylightSaving) {
  // 19:00 in Paris on Saturday 2027-03-20 (UTC+1); DST starts 2027-03-28 (UTC+2).
  auto start = *wp::parse_rfc3339("2027-03-20T18:00:00Z");
  auto until = *wp::parse_rfc3339("2027-04-10T23:00:00Z");
  auto starts = occurrences(start, Recurrence::weekly, until, "Europe/Paris");
  ASSERT_EQ(starts.size(), 4u);
  EXPECT_EQ(wp::to_rfc3339(starts[1]), "2027-03-27T18:00:00.000Z");
  EXPECT_EQ(wp::to_rfc3339(starts[2]), "2027-04-03T17:00:00.000Z");  // still 19:00 local
  auto utc = occurrences(start, Recurrence::weekly, until, "UTC");
  EXPECT_EQ(wp::to_rfc3339(utc[2]), "2027-04-03T18:00:00.000Z");
}

TEST(EventsRecurrence, MonthlyStepsFromTheFirstDateAndStopAtUntilOrTheCap) {
  auto start = *wp::parse_rfc3339("2027-01-31T12:00:00Z");
  auto starts = occurrences(start, Recurrence::monthly, *wp::parse_rfc3339("2027-04-30T12:00:00Z"), "UTC");
  ASSERT_EQ(starts.size(), 4u);  // Jan 31, Feb 28, Mar 31 (not Mar 28), Apr 30 (until itself is included)
  EXPECT_EQ(wp::to_rfc3339(starts[1]), "2027-02-28T12:00:00.000Z");
  EXPECT_EQ(wp::to_rfc3339(starts[2]), "2027-03-31T12:00:00.000Z");
  EXPECT_EQ(wp::to_rfc3339(starts[3]), "2027-04-30T12:00:00.000Z");
  auto many = occurrences(start, Recurrence::weekly, start + 10LL * 366 * 24 * 3600 * 1000, "UTC");
  EXPECT_EQ(many.size(), kMaxOccurrences);
}

}  // namespace
