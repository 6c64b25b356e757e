// Analytics: a party's presence (peak, average, drop-off, buckets) from its
// connection events, checked against values worked out by hand.
#include <gtest/gtest.h>

#include "modules/analytics/presence.hpp"

namespace wp::analytics {
namespace {

constexpr std::int64_t kMin = 60'000, kHour = 60 * kMin;
constexpr std::int64_t H = 1'000 * kHour;  // an hour boundary, 16:00 of a day

std::vector<PresenceEvent> scripted() {
  // a from 0 to 2h30; b 10-30 min; c 20-40 min; a also on a second node 5-15 min.
  return {{H + 0, "a", +1},          {H + 5 * kMin, "a", +1},  {H + 10 * kMin, "b", +1},
          {H + 15 * kMin, "a", -1},  {H + 20 * kMin, "c", +1}, {H + 30 * kMin, "b", -1},
          {H + 40 * kMin, "c", -1},  {H + 150 * kMin, "a", -1}};
}

TEST(PartyPresence, PeakAverageAndDropOffOfAScriptedParty) {
  auto p = party_presence(scripted(), H + 10 * kHour);
  EXPECT_EQ(p.started_at, H);
  EXPECT_EQ(p.ended_at, H + 150 * kMin);
  EXPECT_FALSE(p.live);
  EXPECT_EQ(p.members, 3);
  EXPECT_EQ(p.peak, 3);  // a on two nodes is one member
  // 1×10 + 2×10 + 3×10 + 2×10 + 1×110 member-minutes over 150 minutes.
  EXPECT_EQ(p.member_ms, 190 * kMin);
  EXPECT_EQ(p.live_ms, 150 * kMin);
  EXPECT_EQ(p.left_early, 2);  // b and c
  EXPECT_EQ(p.present_now, 0);
  ASSERT_EQ(p.curve.size(), 150u);
  EXPECT_EQ(p.slot_ms, kMin);
  EXPECT_EQ(p.curve[0], 1);
  EXPECT_EQ(p.curve[25], 3);
  EXPECT_EQ(p.curve[35], 2);
  EXPECT_EQ(p.curve[149], 1);
  // Hours: the first with everyone, a quiet one with a alone, the last half an hour.
  ASSERT_EQ(p.hours.size(), 3u);
  EXPECT_EQ(p.hours[0].bucket_start, H);
  EXPECT_EQ(p.hours[0].peak, 3);
  EXPECT_EQ(p.hours[0].member_ms, 100 * kMin);
  EXPECT_EQ(p.hours[0].live_ms, kHour);
  EXPECT_EQ(p.hours[0].at_end, 1);
  EXPECT_EQ(p.hours[1].bucket_start, H + kHour);
  EXPECT_EQ(p.hours[1].peak, 1);
  EXPECT_EQ(p.hours[1].member_ms, kHour);
  EXPECT_EQ(p.hours[1].at_end, 1);
  EXPECT_EQ(p.hours[2].member_ms, 30 * kMin);
  EXPECT_EQ(p.hours[2].live_ms, 30 * kMin);
  EXPECT_EQ(p.hours[2].at_end, 0);
  // 1000 h is 41 days and 16 h: the party is within one day.
  ASSERT_EQ(p.days.size(), 1u);
  EXPECT_EQ(p.days[0].member_ms, 190 * kMin);
  EXPECT_EQ(p.days[0].peak, 3);
}

TEST(PartyPresence, OrderDoesNotMatterAndALiveOneRunsToNow) {
  auto events = scripted();
  events.pop_back();  // a never leaves
  std::reverse(events.begin(), events.end());
  auto p = party_presence(events, H + 3 * kHour + 10 * kMin);
  EXPECT_TRUE(p.live);
  EXPECT_EQ(p.present_now, 1);
  EXPECT_EQ(p.ended_at, H + 3 * kHour + 10 * kMin);
  EXPECT_EQ(p.left_early, 2);
  EXPECT_EQ(p.member_ms, (190 + 20 + 20) * kMin);
  ASSERT_EQ(p.hours.size(), 4u);  // the hour holding `now` too
  EXPECT_EQ(p.hours[3].at_end, 1);
}

TEST(PartyPresence, AMemberLeavingWithinAMinuteOfTheEndStayed) {
  auto p = party_presence({{0, "a", +1}, {0, "b", +1}, {10 * kMin - 30'000, "b", -1}, {10 * kMin, "a", -1}}, kHour);
  EXPECT_EQ(p.members, 2);
  EXPECT_EQ(p.left_early, 0);
}

TEST(PartyPresence, AStalePresenceEndsADayAfterItsLastEvent) {
  auto p = party_presence({{0, "a", +1}}, 3 * 24 * kHour);
  EXPECT_FALSE(p.live);
  EXPECT_EQ(p.ended_at, kPresenceStaleMs);
  EXPECT_EQ(p.member_ms, kPresenceStaleMs);
  EXPECT_EQ(p.curve.size(), static_cast<std::size_t>(kCurvePoints));  // one slot a minute over a day
}

TEST(PartyPresence, ADisconnectionWithoutItsConnectionIsNoPresence) {
  auto p = party_presence({{0, "x", -1}, {kMin, "a", +1}, {2 * kMin, "a", -1}}, kHour);
  EXPECT_EQ(p.started_at, kMin);
  EXPECT_EQ(p.members, 1);
  EXPECT_EQ(p.member_ms, kMin);
  EXPECT_TRUE(party_presence({{0, "x", -1}}, kHour).members == 0);
}

}  // namespace
}  // namespace wp::analytics
