// The social rules on a temporary SQLite database, with a recording
// per-user channel: friend requests (crossing ones too, and at the same
// instant), the lists, follows, blocks and the events.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "modules/social/service.hpp"
#include "support/error_code.hpp"
#include "support/recording_channel.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::social;
using wp::ErrorCode;
using wp::Principal;
using wp::testkit::error_code_of;

using wp::testkit::RecordingChannel;

struct World {
  wp::testkit::TempDatabase tdb;
  Store store{*tdb.db};
  RecordingChannel channel;
  SocialService social{store, channel};
  Principal user(const std::string& name) { return tdb.add_user(name + "_" + wp::new_uuid().substr(0, 6)); }
  void befriend(const Principal& a, const Principal& b) {
    social.send_request(a, b.id);
    social.accept(b, a.id);
  }
  std::vector<std::string> names(const Listed& l) {
    std::vector<std::string> out;
    for (auto& u : l.rows) out.push_back(u.user_id);
    return out;
  }
};

const Window kAll{100, 0};

TEST(SocialService, RequestThenAcceptMakesFriendsWithAcceptedAtAndEvents) {
  World w;
  auto a = w.user("a"), b = w.user("b");
  auto [outcome, row] = w.social.send_request(a, b.id);
  EXPECT_EQ(outcome, RequestOutcome::sent);
  EXPECT_EQ(row.status, FriendshipStatus::pending);
  EXPECT_FALSE(row.accepted_at);
  auto sent = w.channel.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].user, b.id);
  EXPECT_EQ(sent[0].type, "friend_request");
  EXPECT_NE(boost::json::serialize(sent[0].data).find(a.id), std::string::npos);
  EXPECT_EQ(w.social.requests(b, RequestDirection::incoming, kAll).count, 1);
  EXPECT_EQ(w.social.requests(a, RequestDirection::outgoing, kAll).count, 1);
  EXPECT_EQ(error_code_of([&] { w.social.send_request(a, b.id); }), ErrorCode::conflict);
  auto f = w.social.accept(b, a.id);
  EXPECT_EQ(f.status, FriendshipStatus::accepted);
  EXPECT_TRUE(f.accepted_at);
  auto accepted = w.channel.take();
  ASSERT_EQ(accepted.size(), 2u);
  for (auto& e : accepted) EXPECT_EQ(e.type, "friend_accepted");
  EXPECT_TRUE(w.social.are_friends(a.id, b.id));
  EXPECT_EQ(w.social.friends_of(a.id), std::vector<std::string>{b.id});
  EXPECT_EQ(error_code_of([&] { w.social.send_request(b, a.id); }), ErrorCode::conflict);
  EXPECT_EQ(w.social.requests(b, RequestDirection::incoming, kAll).count, 0);
}

TEST(SocialService, ACrossingRequestAcceptsTheFirst) {
  World w;
  auto a = w.user("a"), b = w.user("b");
  w.social.send_request(a, b.id);
  w.channel.take();
  auto [outcome, row] = w.social.send_request(b, a.id);
  EXPECT_EQ(outcome, RequestOutcome::accepted_crossing);
  EXPECT_EQ(row.requester_id, a.id);
  EXPECT_TRUE(row.accepted_at);
  EXPECT_TRUE(w.social.are_friends(b.id, a.id));
  auto events = w.channel.take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "friend_accepted");
}

TEST(SocialService, CrossingRequestsAtTheSameInstantMeetOnOneRow) {
  World w;
  for (int round = 0; round < 20; ++round) {
    auto a = w.user("a"), b = w.user("b");
    std::vector<RequestOutcome> outcomes(2);
    std::thread t1([&] { outcomes[0] = w.social.send_request(a, b.id).first; });
    std::thread t2([&] { outcomes[1] = w.social.send_request(b, a.id).first; });
    t1.join();
    t2.join();
    std::sort(outcomes.begin(), outcomes.end());
    EXPECT_EQ(outcomes, (std::vector<RequestOutcome>{RequestOutcome::sent, RequestOutcome::accepted_crossing}));
    EXPECT_TRUE(w.social.are_friends(a.id, b.id));
  }
}

TEST(SocialService, DeclineCancelAndUnfriendNeedTheirState) {
  World w;
  auto a = w.user("a"), b = w.user("b");
  EXPECT_EQ(error_code_of([&] { w.social.accept(b, a.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.social.decline(b, a.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.social.cancel(a, b.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.social.unfriend(a, b.id); }), ErrorCode::not_found);
  w.social.send_request(a, b.id);
  EXPECT_EQ(error_code_of([&] { w.social.accept(a, b.id); }), ErrorCode::not_found);  // my own request
  EXPECT_EQ(error_code_of([&] { w.social.cancel(b, a.id); }), ErrorCode::not_found);  // not theirs
  w.social.decline(b, a.id);
  w.social.send_request(a, b.id);
  w.social.cancel(a, b.id);
  w.befriend(a, b);
  w.channel.take();
  w.social.unfriend(b, a.id);
  EXPECT_FALSE(w.social.are_friends(a.id, b.id));
  auto events = w.channel.take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "friend_removed");
  EXPECT_EQ(events[0].user, a.id);
  EXPECT_EQ(error_code_of([&] { w.social.send_request(a, a.id); }), ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { w.social.send_request(a, wp::new_uuid()); }), ErrorCode::not_found);
}

TEST(SocialService, FriendsListCarriesOnlineAndMutualAndSuggestionsRankByCommonFriends) {
  World w;
  auto me = w.user("me"), f1 = w.user("f1"), f2 = w.user("f2"), x = w.user("x"), y = w.user("y"), z = w.user("z");
  w.befriend(me, f1);
  w.befriend(me, f2);
  w.befriend(f1, x);
  w.befriend(f2, x);  // x: two friends in common
  w.befriend(f1, y);  // y: one
  w.befriend(f1, z);
  w.social.send_request(me, z.id);  // a pending request: not suggested
  w.channel.set_online({f2.id});
  auto friends = w.social.friends(me, kAll);
  EXPECT_EQ(friends.count, 2);
  auto online = w.social.online(friends.rows);
  for (std::size_t i = 0; i < friends.rows.size(); ++i) EXPECT_EQ(online[i], friends.rows[i].user_id == f2.id);
  auto s = w.social.suggestions(me, kAll);
  ASSERT_EQ(s.count, 2);
  EXPECT_EQ(s.rows[0].user_id, x.id);
  EXPECT_EQ(s.rows[0].mutual_count, 2);
  EXPECT_EQ(s.rows[1].user_id, y.id);
  EXPECT_EQ(w.social.mutual_friends(me, x.id, kAll).count, 2);
  // A block hides x from suggestions and f2 from mutual friends.
  w.social.block(x, me.id);
  EXPECT_EQ(w.social.suggestions(me, kAll).count, 1);
  w.social.block(me, f2.id);
  EXPECT_EQ(w.social.mutual_friends(me, y.id, kAll).count, 1);
}

TEST(SocialService, APrivateProfileMakesAFollowARequest) {
  World w;
  auto a = w.user("a"), pub = w.user("pub"), priv = w.user("priv"), fr = w.user("fr");
  w.social.set_audience_of([&](const std::string& id) {
    return id == priv.id ? ProfileAudience::nobody : id == fr.id ? ProfileAudience::friends : ProfileAudience::everyone;
  });
  EXPECT_EQ(w.social.follow(a, pub.id).status, FollowStatus::active);
  EXPECT_EQ(error_code_of([&] { w.social.follow(a, pub.id); }), ErrorCode::conflict);
  EXPECT_EQ(w.social.follow(a, priv.id).status, FollowStatus::pending);
  EXPECT_EQ(w.social.follow_counts(priv.id).followers, 0);
  EXPECT_EQ(error_code_of([&] { w.social.follows(a, true, priv.id, FollowStatus::pending, kAll); }),
            ErrorCode::forbidden);
  EXPECT_EQ(w.social.follows(priv, true, priv.id, FollowStatus::pending, kAll).count, 1);
  w.social.approve_follower(priv, a.id);
  EXPECT_EQ(w.social.follow_counts(priv.id).followers, 1);
  EXPECT_EQ(w.social.follow_counts(a.id).following, 2);
  EXPECT_EQ(w.social.follow(a, fr.id).status, FollowStatus::pending);  // not a friend
  w.social.unfollow(a, fr.id);
  w.befriend(a, fr);
  EXPECT_EQ(w.social.follow(a, fr.id).status, FollowStatus::active);
  w.social.unfollow(a, pub.id);
  EXPECT_EQ(error_code_of([&] { w.social.unfollow(a, pub.id); }), ErrorCode::not_found);
}

TEST(SocialService, ABlockRemovesEverythingAndAppliesBothWays) {
  World w;
  auto a = w.user("a"), b = w.user("b");
  w.befriend(a, b);
  w.social.follow(a, b.id);
  w.social.follow(b, a.id);
  w.channel.take();
  w.social.block(a, b.id);
  EXPECT_TRUE(w.social.blocked_between(b.id, a.id));
  EXPECT_FALSE(w.social.are_friends(a.id, b.id));
  EXPECT_EQ(w.social.follow_counts(a.id).followers, 0);
  EXPECT_EQ(w.social.follow_counts(a.id).following, 0);
  EXPECT_EQ(w.channel.take().size(), 2u);  // friend_removed to both
  EXPECT_EQ(error_code_of([&] { w.social.block(a, b.id); }), ErrorCode::conflict);
  // The blocked side: the blocker does not exist. The blocker: forbidden.
  EXPECT_EQ(error_code_of([&] { w.social.send_request(b, a.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.social.follow(b, a.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.social.relationship(b, a.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.social.send_request(a, b.id); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.social.follow(a, b.id); }), ErrorCode::forbidden);
  EXPECT_EQ(w.social.blocks(a, kAll).count, 1);
  EXPECT_EQ(w.social.blocks(b, kAll).count, 0);
  w.social.unblock(a, b.id);
  EXPECT_EQ(error_code_of([&] { w.social.unblock(a, b.id); }), ErrorCode::not_found);
  EXPECT_FALSE(w.social.blocked_between(a.id, b.id));
  EXPECT_EQ(w.social.send_request(b, a.id).first, RequestOutcome::sent);
}

TEST(SocialService, APendingRequestIsRemovedByABlock) {
  World w;
  auto a = w.user("a"), b = w.user("b");
  w.social.send_request(a, b.id);
  w.social.block(b, a.id);
  w.social.unblock(b, a.id);
  EXPECT_EQ(w.social.requests(b, RequestDirection::incoming, kAll).count, 0);
  EXPECT_EQ(error_code_of([&] { w.social.accept(b, a.id); }), ErrorCode::not_found);
}

}  // namespace
