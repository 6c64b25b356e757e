// The parties rules with the social graph wired in (as app.cpp does): friends
// parties, and blocks in participant lists, invitations and the live room.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/protocol.hpp"
#include "modules/social/service.hpp"
#include "support/error_code.hpp"
#include "support/party_fixture.hpp"
#include "support/recording_channel.hpp"

namespace {

using namespace wp::parties;
using wp::ErrorCode;
using wp::testkit::error_code_of;

struct SocialPartyWorld : wp::testkit::PartyWorld {
  wp::testkit::RecordingChannel channel;
  wp::social::Store social_store{*db};
  wp::social::SocialService social{social_store, channel};
  SocialPartyWorld() {
    service.set_relations(social);
    social.on_blocks_changed(
        [this](const std::string& a, const std::string& b, bool blocked) { service.blocks_changed(a, b, blocked); });
  }
  void befriend(const wp::Principal& a, const wp::Principal& b) {
    social.send_request(a, b.id);
    social.accept(b, a.id);
  }
};

bool has(const std::vector<ParticipantRow>& rows, const std::string& user_id) {
  return std::any_of(rows.begin(), rows.end(), [&](auto& r) { return r.user_id == user_id; });
}

TEST(PartiesRelations, AFriendsPartyOpensToTheHostsFriendsOnly) {
  SocialPartyWorld w;
  auto host = w.add_user("host"), fr = w.add_user("fr"), stranger = w.add_user("stranger");
  w.befriend(host, fr);
  CreateInput in;
  in.title = "Friends only";
  in.media_url = "https://media.example.com/movie.mp4";
  in.visibility = Visibility::friends;
  auto party = w.service.create(host, in);
  EXPECT_EQ(error_code_of([&] { w.service.get(stranger, party.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.service.join(stranger, party.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.connect(stranger, party.id); }), ErrorCode::forbidden);
  EXPECT_EQ(w.service.get(fr, party.id).id, party.id);
  long long count = 0;
  PartyFilter f;
  EXPECT_EQ(w.service.list(fr, f, 50, 0, count).size(), 1u);
  EXPECT_EQ(w.service.list(stranger, f, 50, 0, count).size(), 0u);
  auto s = w.connect(fr, party.id);
  w.disconnect(fr, s);
  // Unfriended: no longer in (they stay a participant who joined).
  w.social.unfriend(host, fr.id);
  auto other = w.add_user("other");
  EXPECT_EQ(error_code_of([&] { w.service.get(other, party.id); }), ErrorCode::not_found);
}

TEST(PartiesRelations, ABlockHidesParticipantsAndRefusesInvitations) {
  SocialPartyWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), b = w.add_user("b");
  auto party = w.create_party(host);
  w.service.join(a, party.id);
  w.service.join(b, party.id);
  w.social.block(a, b.id);
  EXPECT_FALSE(has(w.service.participants(a, party.id), b.id));
  EXPECT_FALSE(has(w.service.participants(b, party.id), a.id));
  EXPECT_TRUE(has(w.service.participants(host, party.id), a.id));
  auto mine = w.create_party(b);
  EXPECT_EQ(error_code_of([&] { w.service.invite(b, mine.id, {a.id}); }), ErrorCode::validation);
  w.social.unblock(a, b.id);
  EXPECT_EQ(w.service.invite(b, mine.id, {a.id}), 1);
}

// The ids of the users a party socket was told about in messages of this type.
std::vector<std::string> about(const wp::testkit::FakeConnection& conn, const std::string& type) {
  std::vector<std::string> out;
  for (auto& m : conn.messages(type)) {
    const char* key = type == "chat_message" ? "message" : type == "reaction" ? "reaction" : nullptr;
    auto& user = key ? m.at(key).as_object().at("user") : m.at("user");
    out.emplace_back(user.as_object().at("id").as_string());
  }
  return out;
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::vector<std::string> snapshot_ids(const wp::testkit::FakeConnection& conn, const char* list) {
  std::vector<std::string> out;
  auto state = conn.messages("party_state").at(0);
  for (auto& p : state.at(list).as_array())
    out.emplace_back(p.as_object().at("user").as_object().at("id").as_string());
  return out;
}

// party_state lists at most protocol::kStateParticipants: the host and moderators first, always the
// joiner, and never a user blocked with the joiner, even one the cut list would have shown.
TEST(PartiesRelations, ABigRoomsStateIsCutKeepsTheJoinerAndLeavesOutTheBlocked) {
  SocialPartyWorld w;
  auto host = w.add_user("host"), viewer = w.add_user("viewer");
  CreateInput in;
  in.title = "Big";
  in.media_url = "https://media.example.com/movie.mp4";
  in.max_participants = 200;
  auto party = w.service.create(host, in);
  w.service.join(viewer, party.id);  // the oldest joiner (by a clear millisecond): not among the newest
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<wp::Principal> others;
  for (int i = 0; i < protocol::kStateParticipants + 4; ++i) {
    others.push_back(w.add_user("u" + std::to_string(i)));
    w.service.join(others.back(), party.id);
  }
  auto& blocked = others[50];
  w.service.moderate(host, party.id, blocked.id, ModerationAction::promote);  // listed second, whoever asks
  w.social.block(viewer, blocked.id);

  auto on_host = w.connect(host, party.id);
  auto seen_by_host = snapshot_ids(*on_host.conn, "participants");
  ASSERT_EQ(seen_by_host.size(), static_cast<std::size_t>(protocol::kStateParticipants));
  EXPECT_EQ(seen_by_host[0], host.id);
  EXPECT_EQ(seen_by_host[1], blocked.id);
  EXPECT_FALSE(contains(seen_by_host, viewer.id));
  auto state = on_host.conn->messages("party_state").at(0);
  EXPECT_FALSE(state.at("participants_complete").as_bool());
  EXPECT_EQ(state.at("online_count").as_int64(), 1);
  EXPECT_EQ(state.at("party").as_object().at("participant_count").as_int64(), protocol::kStateParticipants + 6);

  auto on_viewer = w.connect(viewer, party.id);
  auto seen_by_viewer = snapshot_ids(*on_viewer.conn, "participants");
  EXPECT_EQ(seen_by_viewer.size(), static_cast<std::size_t>(protocol::kStateParticipants - 1));
  EXPECT_EQ(seen_by_viewer[0], host.id);
  EXPECT_TRUE(contains(seen_by_viewer, viewer.id));
  EXPECT_FALSE(contains(seen_by_viewer, blocked.id));
  EXPECT_EQ(on_viewer.conn->messages("party_state").at(0).at("online_count").as_int64(), 2);
}

TEST(PartiesRelations, ABlockedPairNeverSeesEachOtherInTheLiveRoom) {
  SocialPartyWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), b = w.add_user("b");
  auto party = w.create_party(host);
  w.service.join(a, party.id);
  w.service.join(b, party.id);
  w.social.block(a, b.id);
  auto on_host = w.connect(host, party.id);
  auto on_b = w.connect(b, party.id);
  w.service.post_chat(b, party.id, "before a came");
  auto on_a = w.connect(a, party.id);
  // The snapshot: participants and recent messages without the other side.
  EXPECT_FALSE(contains(snapshot_ids(*on_a.conn, "participants"), b.id));
  EXPECT_FALSE(contains(snapshot_ids(*on_a.conn, "recent_messages"), b.id));
  EXPECT_FALSE(contains(snapshot_ids(*on_b.conn, "participants"), a.id));
  EXPECT_TRUE(contains(snapshot_ids(*on_host.conn, "participants"), a.id));
  EXPECT_TRUE(contains(snapshot_ids(*on_host.conn, "participants"), b.id));
  // Presence, typing, chat, reactions, roles: the host hears both, the pair not each other.
  w.rooms.typing(on_b.room, b, true);
  w.service.post_chat(b, party.id, "hi");
  w.service.react(b, party.id, "x", 1.0);
  w.service.moderate(host, party.id, b.id, ModerationAction::mute);
  w.rooms.typing(on_a.room, a, true);
  w.service.post_chat(a, party.id, "hello");
  for (auto type : {"typing", "chat_message", "reaction", "participant_updated"}) {
    EXPECT_TRUE(contains(about(*on_host.conn, type), b.id)) << type;
    EXPECT_FALSE(contains(about(*on_a.conn, type), b.id)) << type;
  }
  EXPECT_TRUE(contains(about(*on_host.conn, "user_joined"), a.id));
  EXPECT_FALSE(contains(about(*on_b.conn, "user_joined"), a.id));
  EXPECT_FALSE(contains(about(*on_b.conn, "typing"), a.id));
  EXPECT_FALSE(contains(about(*on_b.conn, "chat_message"), a.id));
  EXPECT_TRUE(contains(about(*on_host.conn, "chat_message"), a.id));
  w.disconnect(b, on_b);
  EXPECT_TRUE(contains(about(*on_host.conn, "user_left"), b.id));
  EXPECT_FALSE(contains(about(*on_a.conn, "user_left"), b.id));
  w.disconnect(a, on_a);
  w.disconnect(host, on_host);
}

TEST(PartiesRelations, ABlockOrUnblockDuringThePartyAppliesAtOnce) {
  SocialPartyWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), b = w.add_user("b");
  auto party = w.create_party(host);
  auto on_a = w.connect(a, party.id);
  auto on_b = w.connect(b, party.id);
  w.service.post_chat(b, party.id, "one");
  EXPECT_EQ(about(*on_a.conn, "chat_message").size(), 1u);
  w.social.block(b, a.id);
  w.service.post_chat(b, party.id, "two");
  w.rooms.typing(on_b.room, b, true);
  w.service.post_chat(a, party.id, "three");
  EXPECT_EQ(about(*on_a.conn, "chat_message").size(), 2u);  // "one" and their own "three"
  EXPECT_TRUE(about(*on_a.conn, "typing").empty());
  EXPECT_FALSE(contains(about(*on_b.conn, "chat_message"), a.id));
  // Both blocked each other: lifting one block leaves the other.
  w.social.block(a, b.id);
  w.social.unblock(b, a.id);
  w.service.post_chat(b, party.id, "four");
  EXPECT_EQ(about(*on_a.conn, "chat_message").size(), 2u);
  w.social.unblock(a, b.id);
  w.service.post_chat(b, party.id, "five");
  w.rooms.typing(on_b.room, b, false);
  EXPECT_EQ(about(*on_a.conn, "chat_message").size(), 3u);
  EXPECT_EQ(about(*on_a.conn, "typing").size(), 1u);
  w.disconnect(a, on_a);
  w.disconnect(b, on_b);
}

TEST(PartiesRelations, ABlockWithdrawsThePairsInvitationsBothWays) {
  SocialPartyWorld w;
  auto host = w.add_user("host"), a = w.add_user("a"), other = w.add_user("other");
  CreateInput in;
  in.title = "Private";
  in.media_url = "https://media.example.com/movie.mp4";
  in.visibility = Visibility::private_;
  auto party = w.service.create(host, in);
  auto hers = w.service.create(a, in);
  ASSERT_EQ(w.service.invite(host, party.id, {a.id, other.id}), 2);
  ASSERT_EQ(w.service.invite(a, hers.id, {host.id}), 1);
  long long count = 0;
  auto invitation = w.service.invitations(a, 50, 0, count).at(0);
  w.social.block(a, host.id);
  EXPECT_TRUE(w.service.invitations(a, 50, 0, count).empty());
  EXPECT_EQ(count, 0);
  EXPECT_TRUE(w.service.invitations(host, 50, 0, count).empty());
  EXPECT_EQ(w.service.invitations(other, 50, 0, count).size(), 1u);  // not theirs: it stays
  EXPECT_EQ(error_code_of([&] { w.service.respond_invitation(a, invitation.id, true); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.service.get(a, party.id); }), ErrorCode::not_found);
  // An invitation that raced the block (written after the withdrawal) is not honoured either.
  w.store.invite({wp::new_uuid(), party.id, "", host.id, "", a.id, InvitationStatus::pending, wp::now_ms(), true});
  EXPECT_TRUE(w.service.invitations(a, 50, 0, count).empty());
  EXPECT_EQ(error_code_of([&] { w.service.get(a, party.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.service.join(a, party.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.connect(a, party.id); }), ErrorCode::forbidden);
  auto raced = w.service.invitations(host, 50, 0, count);  // (host has none: the raced one is a's)
  EXPECT_TRUE(raced.empty());
  // Unblocked: the raced invitation counts again, as any invitation between them would.
  w.social.unblock(a, host.id);
  auto back = w.service.invitations(a, 50, 0, count);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(w.service.respond_invitation(a, back[0].id, true).id, party.id);
}

}  // namespace
