// The recommendations job on a real SQLite database: what it stores and
// what a user reads back (never private videos or blocked users' content).
#include <gtest/gtest.h>

#include "modules/recommendations/service.hpp"
#include "support/temp_db.hpp"

using namespace wp;
using namespace wp::recommendations;

namespace {

struct RecoFixture : ::testing::Test {
  testkit::TempDatabase tdb;
  Store store{*tdb.db};
  RecommendationsService svc{store, Settings{}};

  void sql(const std::string& text) {
    tdb.db->with([&](soci::session& s) { s << text; });
  }
  std::string video(const Principal& by, const std::string& title, bool is_public = true) {
    auto id = new_uuid();
    std::string pub = is_public ? "1" : "0", vis = is_public ? "'public'" : "'private'";
    sql("INSERT INTO videos (id, uploaded_by_id, title, source_type, status, is_public, visibility, created_at, "
        "updated_at) VALUES ('" + id + "', '" + by.id + "', '" + title + "', 'external', 'ready', " + pub + ", " +
        vis + ", 1, 1)");
    return id;
  }
  void watch(const Principal& who, const std::string& video_id) {
    sql("INSERT INTO watch_times (id, user_id, video_id, total_watch_time, created_at, updated_at) VALUES ('" +
        new_uuid() + "', '" + who.id + "', '" + video_id + "', 120, 1, 1)");
  }
  std::vector<std::string> ids(const Principal& who) {
    std::vector<std::string> out;
    for (auto& r : svc.for_user(who)) out.push_back(r.object_id);
    return out;
  }
};

}  // namespace

TEST_F(RecoFixture, NeverRecommendsPrivateOrBlockedContent) {
  auto me = tdb.add_user("me"), other = tdb.add_user("other"), uploader = tdb.add_user("uploader"),
       enemy = tdb.add_user("enemy");
  auto a = video(uploader, "A"), b = video(uploader, "B"), hidden = video(uploader, "Hidden", false),
       theirs = video(enemy, "Theirs");
  watch(me, a);
  for (auto& v : {a, b, hidden, theirs}) watch(other, v);
  sql("INSERT INTO user_blocks (id, blocker_id, blocked_id, created_at) VALUES ('" + new_uuid() + "', '" + enemy.id +
      "', '" + me.id + "', 1)");
  EXPECT_EQ(svc.refresh(now_ms()), 4);
  auto got = ids(me);
  EXPECT_EQ(got, std::vector<std::string>{b});
  auto rows = svc.for_user(me);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "Because you watched A");
  // a video that turned private after the round is not shown either
  sql("UPDATE videos SET is_public = 0, visibility = 'private' WHERE id = '" + b + "'");
  EXPECT_TRUE(ids(me).empty());
}

TEST_F(RecoFixture, IncrementalRefreshAndClicks) {
  auto me = tdb.add_user("me"), uploader = tdb.add_user("uploader");
  auto a = video(uploader, "A");
  video(me, "Mine");  // so that the uploader has something to be recommended too
  auto t = now_ms();
  EXPECT_EQ(svc.refresh(t), 2);      // everyone without rows
  EXPECT_EQ(svc.refresh(t + 1), 0);  // nothing new
  auto rows = svc.for_user(me);
  ASSERT_EQ(rows.size(), 1u);  // cold start: what is popular
  EXPECT_EQ(rows[0].object_id, a);
  EXPECT_EQ(rows[0].reason, "Popular this week");
  svc.click(me, rows[0].id);
  EXPECT_THROW(svc.click(me, rows[0].id), Error);
  EXPECT_THROW(svc.click(uploader, rows[0].id), Error);
  watch(me, a);
  sql("UPDATE watch_times SET updated_at = " + std::to_string(t + 5));
  EXPECT_EQ(svc.refresh(t + 10), 1);  // only the user with new activity
}

// A batch is marked shown by its first read (the write is skipped once every row is marked).
TEST_F(RecoFixture, TheFirstReadMarksTheBatchShown) {
  auto me = tdb.add_user("me"), uploader = tdb.add_user("uploader");
  video(uploader, "A");
  ASSERT_EQ(svc.refresh(now_ms()), 2);
  auto first = svc.for_user(me);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_FALSE(first[0].shown_at);  // as read, before the mark
  auto second = svc.for_user(me);
  ASSERT_EQ(second.size(), 1u);
  ASSERT_TRUE(second[0].shown_at);
  auto third = svc.for_user(me);
  EXPECT_EQ(third[0].shown_at, second[0].shown_at);  // marked once
}
