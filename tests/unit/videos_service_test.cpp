// Video rules on a real SQLite database: comment threading and like toggling.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "modules/videos/service.hpp"
#include "support/error_code.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp;
using testkit::error_code_of;

struct VideosFixture : ::testing::Test {
  testkit::TempDatabase tmp;
  videos::Store store{*tmp.db};
  videos::VideosService service{store, tmp.config};
  Principal ann = tmp.add_user("ann");
  Principal bob = tmp.add_user("bob");
  Principal staff = tmp.add_user("sam", true);
  std::string video_id;

  void SetUp() override {
    videos::NewVideo in;
    in.title = "Clip";
    in.external_url = "https://media.example.com/clip.mp4";
    video_id = service.create_external(ann, in).id;
  }
};

TEST_F(VideosFixture, LikesToggleAndSwitchAndCountOncePerUser) {
  auto r = service.react(bob, video_id, true);
  EXPECT_EQ(r.is_like, std::optional<bool>(true));
  EXPECT_EQ(r.like_count, 1);
  r = service.react(ann, video_id, true);
  EXPECT_EQ(r.like_count, 2);
  r = service.react(bob, video_id, true);  // the same again takes it back
  EXPECT_EQ(r.is_like, std::nullopt);
  EXPECT_EQ(r.like_count, 1);
  r = service.react(bob, video_id, false);
  EXPECT_EQ(r.is_like, std::optional<bool>(false));
  EXPECT_EQ(r.like_count, 1);
  EXPECT_EQ(r.dislike_count, 1);
  r = service.react(bob, video_id, true);  // switching moves the vote
  EXPECT_EQ(r.like_count, 2);
  EXPECT_EQ(r.dislike_count, 0);
  auto v = service.get(&bob, video_id);
  EXPECT_EQ(v.like_count, 2);
  EXPECT_EQ(v.dislike_count, 0);
}

TEST_F(VideosFixture, RepliesThreadUnderTheirTopLevelComment) {
  auto top = service.add_comment(bob, video_id, "first", std::nullopt);
  auto reply = service.add_comment(ann, video_id, "thanks", top.id);
  EXPECT_EQ(reply.parent_id, std::optional<std::string>(top.id));
  long long count = 0;
  auto roots = service.comments(&ann, video_id, 20, 0, count);
  ASSERT_EQ(count, 1);  // replies are not top-level comments
  EXPECT_EQ(roots[0].id, top.id);
  EXPECT_EQ(roots[0].reply_count, 1);
  auto replies = service.replies(&ann, video_id, top.id, 20, 0, count);
  ASSERT_EQ(count, 1);
  EXPECT_EQ(replies[0].content, "thanks");
  // Threads go deeper: a reply to a reply lists under that reply, not under the top.
  auto deeper = service.add_comment(bob, video_id, "welcome", reply.id);
  EXPECT_EQ(service.replies(&ann, video_id, top.id, 20, 0, count).size(), 1u);
  auto under_reply = service.replies(&ann, video_id, reply.id, 20, 0, count);
  ASSERT_EQ(under_reply.size(), 1u);
  EXPECT_EQ(under_reply[0].id, deeper.id);
  // No reply to a comment of another video, an unknown one, or a deleted one.
  videos::NewVideo other;
  other.title = "Other";
  other.external_url = "https://media.example.com/other.mp4";
  auto other_id = service.create_external(bob, other).id;
  EXPECT_EQ(error_code_of([&] { service.add_comment(bob, other_id, "x", top.id); }), ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { service.add_comment(bob, video_id, "x", "00000000-0000-0000-0000-000000000000"); }),
            ErrorCode::validation);
  service.delete_comment(ann, video_id, deeper.id);
  EXPECT_EQ(error_code_of([&] { service.add_comment(bob, video_id, "x", deeper.id); }), ErrorCode::validation);
}

TEST_F(VideosFixture, OnlyTheAuthorEditsAndTheAuthorUploaderOrStaffDelete) {
  Principal cat = tmp.add_user("cat");
  auto c = service.add_comment(bob, video_id, "tpyo", std::nullopt);
  EXPECT_EQ(error_code_of([&] { service.edit_comment(ann, video_id, c.id, "hijack"); }), ErrorCode::forbidden);
  auto edited = service.edit_comment(bob, video_id, c.id, "typo");
  EXPECT_TRUE(edited.is_edited);
  EXPECT_EQ(edited.content, "typo");
  EXPECT_EQ(error_code_of([&] { service.delete_comment(cat, video_id, c.id); }), ErrorCode::forbidden);
  EXPECT_NO_THROW(service.delete_comment(staff, video_id, c.id));
  EXPECT_EQ(error_code_of([&] { service.delete_comment(bob, video_id, c.id); }), ErrorCode::not_found);
  auto mine = service.add_comment(cat, video_id, "on ann's video", std::nullopt);
  EXPECT_NO_THROW(service.delete_comment(ann, video_id, mine.id));  // the uploader moderates their video
}

TEST_F(VideosFixture, CommentLikesToggle) {
  auto c = service.add_comment(bob, video_id, "nice", std::nullopt);
  auto r = service.like_comment(ann, video_id, c.id);
  EXPECT_TRUE(r.liked);
  EXPECT_EQ(r.likes_count, 1);
  r = service.like_comment(bob, video_id, c.id);
  EXPECT_EQ(r.likes_count, 2);
  r = service.like_comment(ann, video_id, c.id);
  EXPECT_FALSE(r.liked);
  EXPECT_EQ(r.likes_count, 1);
}

// mobile (#21): an app's offline progress moves the watch time outside parties forward only.
TEST_F(VideosFixture, OfflineProgressMovesThePositionOutsidePartiesForwardOnly) {
  EXPECT_TRUE(service.advance_position(bob, video_id, 300));
  EXPECT_FALSE(service.advance_position(bob, video_id, 200));
  EXPECT_FALSE(service.advance_position(bob, video_id, 300));
  EXPECT_EQ(service.watch_time_outside_parties(bob.id, video_id)->last_position, 300);
  videos::WatchInput in_party;
  in_party.position = 50;
  in_party.duration_watched = 5;
  in_party.party_id = "p1";
  service.record_watch_time(bob.id, video_id, in_party);  // a viewing in a party is a row of its own
  EXPECT_EQ(service.watch_times_outside_parties(bob.id).size(), 1u);
  EXPECT_TRUE(service.advance_position(bob, video_id, 301.5));
  auto solo = service.watch_time_outside_parties(bob.id, video_id);
  EXPECT_EQ(solo->last_position, 301.5);
  EXPECT_EQ(solo->total_watch_time, 0);  // a position is not time watched
  EXPECT_EQ(error_code_of([&] { service.advance_position(bob, "00000000-0000-4000-8000-000000000000", 1); }),
            ErrorCode::not_found);
  EXPECT_FALSE(service.watch_time_outside_parties(ann.id, video_id).has_value());
}

}  // namespace
