// The party rules and the live rooms on a temporary SQLite database, with
// the in-process live state, the local backplane and recording connections.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "modules/parties/protocol.hpp"
#include "support/party_fixture.hpp"

namespace {

using namespace wp::parties;
using wp::Principal;
using wp::testkit::PartyWorld;

bool allowed(PartyWorld& w, const PartyWorld::Socket& s, const Principal& who, ControlAction action) {
  ControlInput in{.action = action, .position = 5.0, .rate = 1.5};
  try {
    w.rooms.control(s.room, who.id, in);
    return true;
  } catch (const PartyError& e) {
    EXPECT_EQ(e.ws_code(), "not_allowed");
    return false;
  }
}

TEST(PartiesService, ControlMatrixOfRoleByControlModeByAction) {
  PartyWorld w;
  auto host = w.add_user("host"), mod = w.add_user("mod"), guest = w.add_user("guest"), outsider = w.add_user("out");
  for (auto mode : {ControlMode::host_only, ControlMode::moderators, ControlMode::everyone}) {
    auto party = w.create_party(host, {{"control", std::string(wp::to_string(mode))}});
    w.service.join(mod, party.id);
    w.service.join(guest, party.id);
    w.service.moderate(host, party.id, mod.id, ModerationAction::promote);
    auto s = w.connect(host, party.id);
    for (auto action : {ControlAction::play, ControlAction::pause, ControlAction::seek, ControlAction::rate}) {
      SCOPED_TRACE(std::string(wp::to_string(mode)) + " " + std::string(wp::to_string(action)));
      EXPECT_TRUE(allowed(w, s, host, action));
      EXPECT_EQ(allowed(w, s, mod, action), mode != ControlMode::host_only);
      EXPECT_EQ(allowed(w, s, guest, action), mode == ControlMode::everyone);
      EXPECT_FALSE(allowed(w, s, outsider, action));
    }
    w.disconnect(host, s);
  }
}

TEST(PartiesService, AnUnknownControlActionIsAnInvalidMessageListingTheChoices) {
  try {
    protocol::parse_client_message(R"({"type":"video_control","action":"rewind"})");
    FAIL() << "accepted";
  } catch (const protocol::Invalid& e) {
    EXPECT_EQ(e.code, "invalid_message");
    EXPECT_NE(e.message.find("play, pause, seek or rate"), std::string::npos) << e.message;
  }
  try {
    wp::require_enum<Visibility>("visibility", "secret");
    FAIL() << "accepted";
  } catch (const wp::Error& e) {
    EXPECT_EQ(e.code(), wp::ErrorCode::validation);
    EXPECT_EQ(e.fields().at("visibility").at(0), "Must be one of public, unlisted, private or friends.");
  }
}

TEST(PartiesService, JoinApproveAndLeaveWithHostHandover) {
  PartyWorld w;
  auto host = w.add_user("host"), early = w.add_user("early"), late = w.add_user("late");
  auto party = w.create_party(host, {{"require_approval", true}});
  auto hs = w.connect(host, party.id);
  // A join request waits; the host online is told.
  auto asked = w.service.join(early, party.id);
  ASSERT_TRUE(asked.request);
  EXPECT_EQ(asked.request->join_request, JoinRequest::pending);
  EXPECT_EQ(hs.conn->messages("join_request").size(), 1u);
  EXPECT_EQ(w.service.join_request(early, party.id).status, JoinRequestStatus::pending);
  auto admitted = w.service.approve(host, party.id, early.id);
  EXPECT_TRUE(admitted.is_active);
  EXPECT_EQ(w.service.join_request(early, party.id).status, JoinRequestStatus::active);
  w.service.approve(host, party.id, w.service.join(late, party.id).request->user_id);
  // The longest-present moderator takes over, before any participant.
  w.service.moderate(host, party.id, late.id, ModerationAction::promote);
  w.service.leave(host, party.id);
  EXPECT_EQ(w.store.participant(party.id, late.id)->role, Role::host);
  EXPECT_EQ(w.store.party(party.id)->host_id, late.id);
  EXPECT_EQ(w.store.participant(party.id, early.id)->role, Role::participant);
  EXPECT_EQ(hs.conn->closes(), std::vector<int>{wp::realtime::close_code::forbidden});
  // The live room follows: the new host may control.
  auto ls = w.connect(late, party.id);
  EXPECT_NO_THROW(w.rooms.control(ls.room, late.id, {.action = ControlAction::play}));
}

TEST(PartiesService, RejectedRequestsAreRememberedAndBannedUsersStayOut) {
  PartyWorld w;
  auto host = w.add_user("host"), guest = w.add_user("guest"), rowdy = w.add_user("rowdy");
  auto party = w.create_party(host, {{"require_approval", true}});
  w.service.join(guest, party.id);
  w.service.reject(host, party.id, guest.id);
  EXPECT_THROW(w.service.join(guest, party.id), wp::Error);
  EXPECT_EQ(w.service.join_request(guest, party.id).status, JoinRequestStatus::rejected);
  w.service.approve(host, party.id, w.service.join(rowdy, party.id).request->user_id);
  w.service.moderate(host, party.id, rowdy.id, ModerationAction::ban);
  EXPECT_THROW(w.connect(rowdy, party.id), wp::Error);
}

TEST(PartiesService, ParticipantsByStatusAndTheListFilters) {
  PartyWorld w;
  auto host = w.add_user("host"), guest = w.add_user("guest"), asker = w.add_user("asker");
  auto open = w.create_party(host);
  auto gated = w.create_party(host, {{"require_approval", true}});
  w.service.join(guest, open.id);
  w.service.join(asker, gated.id);
  EXPECT_EQ(w.service.participants(host, gated.id, ParticipantStatus::pending).at(0).status(),
            ParticipantStatus::pending);
  EXPECT_EQ(w.service.participants(host, gated.id).size(), 1u);  // the host only
  EXPECT_THROW(w.service.participants(guest, open.id, ParticipantStatus::pending), wp::Error);
  long long count = 0;
  auto mine = w.service.list(guest, {.mine = true}, 10, 0, count);
  ASSERT_EQ(count, 1);
  EXPECT_EQ(mine.at(0).id, open.id);
  EXPECT_EQ(mine.at(0).participant_count, 2);
  EXPECT_EQ(mine.at(0).host_username, "host");
  w.service.list(guest, {.search = "MOVIE_"}, 10, 0, count);  // '_' is a literal, not a wildcard
  EXPECT_EQ(count, 0);
  w.service.list(guest, {.search = "movie"}, 10, 0, count);
  EXPECT_EQ(count, 2);
  w.service.list(guest, {.hosting = true}, 10, 0, count);
  EXPECT_EQ(count, 0);
}

TEST(PartiesService, InvitationsAreListedWhilePendingAndAnsweredOnce) {
  PartyWorld w;
  auto host = w.add_user("host"), friend_ = w.add_user("friend"), other = w.add_user("other");
  auto party = w.create_party(host);
  EXPECT_EQ(w.service.invite(host, party.id, {friend_.id, other.id}), 2);
  long long count = 0;
  auto invitations = w.service.invitations(friend_, 10, 0, count);
  ASSERT_EQ(count, 1);
  EXPECT_EQ(invitations.at(0).status, InvitationStatus::pending);
  EXPECT_EQ(invitations.at(0).party_title, "Movie night");
  EXPECT_EQ(invitations.at(0).inviter_username, "host");
  w.service.respond_invitation(friend_, invitations.at(0).id, true);
  EXPECT_EQ(w.store.invitation(invitations.at(0).id)->status, InvitationStatus::accepted);
  EXPECT_THROW(w.service.respond_invitation(friend_, invitations.at(0).id, false), wp::Error);
  EXPECT_TRUE(w.service.invitations(friend_, 10, 0, count).empty());
  auto declined = w.service.invitations(other, 10, 0, count).at(0).id;
  w.service.respond_invitation(other, declined, false);
  EXPECT_EQ(w.store.invitation(declined)->status, InvitationStatus::declined);
}

TEST(PartiesService, ChatPagesAndReactionCounts) {
  PartyWorld w;
  auto host = w.add_user("host");
  auto party = w.create_party(host);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(w.service.post_chat(host, party.id, "m" + std::to_string(i)).id);
  auto newest = w.service.chat_history(host, party.id, std::nullopt, 2);
  ASSERT_EQ(newest.size(), 2u);
  EXPECT_EQ(newest[0].content, "m4");
  EXPECT_EQ(newest[0].username, "host");
  auto older = w.service.chat_history(host, party.id, newest[1].id, 10);
  ASSERT_EQ(older.size(), 3u);
  EXPECT_EQ(older[0].content, "m2");
  auto after = w.store.messages_after(party.id, ids[2], 10);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].content, "m3");
  w.service.react(host, party.id, "🎉", 1.0);
  w.service.react(host, party.id, "🎉", 2.0);
  w.service.react(host, party.id, "👍", 3.0);
  EXPECT_EQ(w.service.reaction_counts(host, party.id), (std::map<std::string, long long>{{"🎉", 2}, {"👍", 1}}));
}

// Many controls at once: every one is applied exactly once, and every member
// receives the versions in one order without gaps.
TEST(PartiesService, PlaybackCompareAndSetUnderConcurrentChanges) {
  PartyWorld w;
  auto host = w.add_user("host"), other = w.add_user("other");
  auto party = w.create_party(host, {{"control", "everyone"}});
  w.service.join(other, party.id);
  auto a = w.connect(host, party.id);
  auto b = w.connect(other, party.id);
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      auto& who = t % 2 ? other : host;
      auto& s = t % 2 ? b : a;
      for (int i = 0; i < kEach; ++i) w.rooms.control(s.room, who.id, {.action = ControlAction::seek, .position = t * 100.0 + i});
    });
  for (auto& t : threads) t.join();
  for (auto* s : {&a, &b}) {
    long long expected = 1;
    for (auto& m : s->conn->messages("playback_state"))
      EXPECT_EQ(m.at("playback").at("version").as_int64(), expected++);
    EXPECT_EQ(expected - 1, kThreads * kEach);
  }
  EXPECT_EQ(w.rooms.playback(party.id).version, kThreads * kEach);
}

struct BufferingWait : ::testing::Test {
  PartyWorld w;
  Principal host = w.add_user("host"), viewer = w.add_user("viewer");
  PartyRow party = w.create_party(host, {{"wait_for_buffering", true}});
  PartyWorld::Socket hs, vs;
  void SetUp() override {
    w.service.join(viewer, party.id);
    hs = w.connect(host, party.id);
    vs = w.connect(viewer, party.id);
    w.rooms.control(hs.room, host.id, {.action = ControlAction::play, .position = 1.0});
    w.rooms.buffering(vs.room, viewer.id, true);
    ASSERT_EQ(status(), PlaybackStatus::waiting);
  }
  PlaybackStatus status() { return w.rooms.playback(party.id).status; }
};

TEST_F(BufferingWait, EndsWhenEveryoneIsReady) {
  w.rooms.buffering(hs.room, host.id, true);
  w.rooms.buffering(vs.room, viewer.id, false);
  EXPECT_EQ(status(), PlaybackStatus::waiting);  // the host still buffers
  w.rooms.buffering(hs.room, host.id, false);
  EXPECT_EQ(status(), PlaybackStatus::playing);
}

TEST_F(BufferingWait, EndsOnAnExplicitPlayOrPause) {
  w.rooms.control(hs.room, host.id, {.action = ControlAction::pause});
  EXPECT_EQ(status(), PlaybackStatus::paused);
  // The wait was cleared: playing again does not wait for the old buffering.
  w.rooms.control(hs.room, host.id, {.action = ControlAction::play});
  EXPECT_EQ(status(), PlaybackStatus::playing);
  w.rooms.buffering(vs.room, viewer.id, false);
  EXPECT_EQ(status(), PlaybackStatus::playing);
}

TEST_F(BufferingWait, EndsAfterTheTimeout) {
  w.config.buffering_timeout_ms = 50;
  w.rooms.tick();
  EXPECT_EQ(status(), PlaybackStatus::waiting);
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  w.rooms.tick();
  EXPECT_EQ(status(), PlaybackStatus::playing);
}

}  // namespace

// participant_count is a column kept by triggers (migration 0034): it must equal a count of the
// active rows after every way in and out, the service's and plain SQL's alike.
TEST(PartiesService, TheMemberCountFollowsEveryWayInAndOut) {
  PartyWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), b = w.add_user("b"), c = w.add_user("c");
  auto party = w.create_party(host);
  auto counted = [&] {
    long long n = 0;
    w.db->with([&](soci::session& s) {
      s << "SELECT COUNT(*) FROM party_participants WHERE party_id = :p AND is_active = 1", soci::into(n),
          soci::use(party.id);
    });
    return n;
  };
  auto kept = [&] { return w.store.party(party.id)->participant_count; };
  auto expect = [&](long long n) {
    EXPECT_EQ(counted(), n);
    EXPECT_EQ(kept(), n);
  };
  expect(1);
  w.service.join(a, party.id);
  w.service.join(b, party.id);
  expect(3);
  w.service.join(a, party.id);  // already in: no change
  expect(3);
  w.service.leave(a, party.id);
  expect(2);
  w.service.join(a, party.id);  // back: the same row made active again
  expect(3);
  w.service.moderate(host, party.id, b.id, ModerationAction::kick);
  expect(2);
  w.service.moderate(host, party.id, b.id, ModerationAction::ban);  // already out: no change
  expect(2);
  w.connect(c, party.id);  // a socket's connect joins
  expect(3);
  // Outside the service: a deleted user's rows go by cascade, and rows written by hand count too.
  w.db->with([&](soci::session& s) { s << "DELETE FROM users WHERE id = :u", soci::use(c.id); });
  expect(2);
  w.db->with([&](soci::session& s) {
    s << "UPDATE party_participants SET is_active = 0 WHERE party_id = :p AND user_id = :u", soci::use(party.id),
        soci::use(a.id);
  });
  expect(1);
  w.db->with([&](soci::session& s) {
    s << "UPDATE party_participants SET is_active = 1 WHERE party_id = :p", soci::use(party.id);
  });
  expect(3);
}
