// party_state's participant list in a big room: a joiner may reuse the list
// another joiner just read (LiveRooms::reused_roster), but never one
// that predates a change of role, a removal or a reload of the party.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "modules/parties/protocol.hpp"
#include "support/party_fixture.hpp"

namespace {

using namespace wp::parties;

// The role each listed user has in the socket's party_state.
std::vector<std::pair<std::string, std::string>> listed(const wp::testkit::FakeConnection& conn) {
  std::vector<std::pair<std::string, std::string>> out;
  auto state = conn.messages("party_state").at(0);
  for (auto& p : state.at("participants").as_array()) {
    auto& o = p.as_object();
    out.emplace_back(std::string(o.at("user").as_object().at("id").as_string()), std::string(o.at("role").as_string()));
  }
  return out;
}

std::string role_in(const std::vector<std::pair<std::string, std::string>>& list, const std::string& user_id) {
  auto it = std::find_if(list.begin(), list.end(), [&](auto& p) { return p.first == user_id; });
  return it == list.end() ? "" : it->second;
}

struct BigRoom : wp::testkit::PartyWorld {
  wp::Principal host = add_user("host");
  std::vector<wp::Principal> members;
  std::string party_id;
  BigRoom() {
    CreateInput in;
    in.title = "Big";
    in.media_url = "https://media.example.com/movie.mp4";
    in.max_participants = 200;
    party_id = service.create(host, in).id;
    for (int i = 0; i < protocol::kStateParticipants + 5; ++i) {
      members.push_back(add_user("m" + std::to_string(i)));
      service.join(members.back(), party_id);
    }
  }
};

TEST(PartiesRoster, MessagesAboutMembershipAreToldApartFromTheRest) {
  for (auto type : {"user_joined", "user_left", "participant_updated", "party_updated"})
    EXPECT_TRUE(protocol::changes_roster(std::string(R"({"type":")") + type + R"(","x":1})")) << type;
  for (auto type : {"chat_message", "presence_counts", "playback_state", "user_joined_later", "reaction"})
    EXPECT_FALSE(protocol::changes_roster(std::string(R"({"type":")") + type + R"(","x":1})")) << type;
  // Only the type counts, not what a message says.
  EXPECT_FALSE(protocol::changes_roster(R"({"type":"chat_message","content":"{\"type\":\"user_left\"}"})"));
  EXPECT_FALSE(protocol::changes_roster("user_left"));
  EXPECT_FALSE(protocol::changes_roster(""));
}

TEST(PartiesRoster, APromotionShowsInTheNextJoinersListAtOnce) {
  BigRoom w;
  auto first = w.connect(w.host, w.party_id);  // reads the list, and keeps it for the next joiners
  auto& promoted = w.members.back();
  EXPECT_EQ(role_in(listed(*first.conn), promoted.id), "participant");
  w.service.moderate(w.host, w.party_id, promoted.id, ModerationAction::promote);
  auto next = w.connect(w.members.front(), w.party_id);
  auto list = listed(*next.conn);
  ASSERT_EQ(list.size(), static_cast<std::size_t>(protocol::kStateParticipants));
  EXPECT_EQ(role_in(list, promoted.id), "moderator");
  EXPECT_EQ(list[1].first, promoted.id);  // staff first
}

TEST(PartiesRoster, ARemovedMemberLeavesTheNextJoinersListAtOnce) {
  BigRoom w;
  auto first = w.connect(w.host, w.party_id);
  auto& removed = w.members.back();  // the newest: listed
  EXPECT_EQ(role_in(listed(*first.conn), removed.id), "participant");
  w.service.moderate(w.host, w.party_id, removed.id, ModerationAction::kick);
  auto next = w.connect(w.members.front(), w.party_id);
  EXPECT_EQ(role_in(listed(*next.conn), removed.id), "");
}

// In its place: the newest joiner first after the host, even in a list read before they joined.
TEST(PartiesRoster, AJoinerIsAlwaysInTheirOwnListInTheirPlace) {
  BigRoom w;
  auto first = w.connect(w.host, w.party_id);
  auto late = w.add_user("late");
  std::this_thread::sleep_for(std::chrono::milliseconds(3));  // the newest by a clear millisecond
  w.service.join(late, w.party_id);
  auto mine = w.connect(late, w.party_id);
  auto list = listed(*mine.conn);
  ASSERT_EQ(list.size(), static_cast<std::size_t>(protocol::kStateParticipants));
  EXPECT_EQ(list[0].first, w.host.id);
  EXPECT_EQ(list[1].first, late.id);
  // The oldest member, who is not among the newest listed, comes last.
  auto oldest = w.connect(w.members.front(), w.party_id);
  list = listed(*oldest.conn);
  ASSERT_EQ(list.size(), static_cast<std::size_t>(protocol::kStateParticipants));
  EXPECT_EQ(list.back().first, w.members.front().id);
}

}  // namespace
