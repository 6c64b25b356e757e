// SeenChat: what a node replays after Redis comes back, and what it drops.
#include <gtest/gtest.h>

#include "core/ids.hpp"
#include "modules/parties/seen_chat.hpp"

namespace {

using wp::parties::SeenChat;

TEST(SeenChat, ALiveMessageIsDeliveredOnceAndNeverReplayed) {
  SeenChat seen(0);
  std::int64_t at = 0;
  auto id = wp::new_uuid_v7(&at);
  EXPECT_TRUE(seen.first_time(id));
  EXPECT_FALSE(seen.first_time(id));
  EXPECT_FALSE(seen.missed(id, at));
}

TEST(SeenChat, AMissedMessageIsReplayedOnceAndItsLiveCopyDropped) {
  SeenChat seen(0);
  std::int64_t at = 0;
  auto id = wp::new_uuid_v7(&at);
  EXPECT_TRUE(seen.missed(id, at));
  EXPECT_FALSE(seen.missed(id, at));
  EXPECT_FALSE(seen.first_time(id));
}

TEST(SeenChat, NothingOlderThanTheRoomIsReplayed) {
  std::int64_t at = 0;
  auto id = wp::new_uuid_v7(&at);
  SeenChat seen(at);
  EXPECT_FALSE(seen.missed(id, at));
  EXPECT_TRUE(seen.missed("later", at + 1));
}

TEST(SeenChat, ForgottenIdsRaiseTheFloorSoTheyCannotComeTwice) {
  SeenChat seen(0);
  std::int64_t first_at = 0;
  auto first = wp::new_uuid_v7(&first_at);
  ASSERT_TRUE(seen.first_time(first));
  for (std::size_t i = 0; i < SeenChat::kRemembered; ++i) seen.first_time(wp::new_uuid_v7());
  // `first` is forgotten now, but it is not older than the floor: not replayed.
  EXPECT_FALSE(seen.missed(first, first_at));
}

TEST(SeenChat, TheTimeOfAUuidV7) {
  EXPECT_EQ(wp::parties::uuid_v7_ms("0190f2a1-0b2c-7abc-8def-0123456789ab"), 0x0190f2a10b2cLL);
  EXPECT_EQ(wp::parties::uuid_v7_ms("0190f2a1-0b2c-4abc-8def-0123456789ab"), 0);  // v4
  EXPECT_EQ(wp::parties::uuid_v7_ms("short"), 0);
}

}  // namespace
