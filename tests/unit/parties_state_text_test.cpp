// party_state writes its participants as text (append_participant_text): it
// must say exactly what participant_json says, for any name.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/parties/dto.hpp"
#include "modules/parties/protocol.hpp"

namespace wp::parties {
namespace {

namespace json = boost::json;

ParticipantRow row(std::string user_id, std::string username, Role role) {
  ParticipantRow p;
  p.id = "row-" + user_id;
  p.party_id = "party-1";
  p.user_id = std::move(user_id);
  p.username = std::move(username);
  p.role = role;
  p.joined_at = 1'767'225'600'123;  // 2026-01-01T00:00:00.123Z
  return p;
}

json::value as_text(const ParticipantRow& p, bool online) {
  std::string out;
  append_participant_text(out, p, online);
  return json::parse(out);
}

TEST(PartiesStateText, AParticipantReadsAsItsJsonObject) {
  auto host = row("u1", "host", Role::host);
  auto muted = row("u2", "muted one", Role::participant);
  muted.is_muted = true;
  auto pending = row("u3", "asks", Role::participant);
  pending.join_request = JoinRequest::pending;
  for (auto* p : {&host, &muted, &pending})
    for (bool online : {false, true}) EXPECT_EQ(as_text(*p, online), json::value(participant_json(*p, online)));
}

TEST(PartiesStateText, NamesAreEscaped) {
  for (std::string name : {std::string("quote \" and \\ back"), std::string("line\nbreak\ttab"),
                           std::string("ctl \x01\x1f"), std::string("emoji \xF0\x9F\x8E\x89 and \xC3\xA9"),
                           std::string("</script>")}) {
    auto p = row("u-esc", name, Role::moderator);
    auto v = as_text(p, true);
    EXPECT_EQ(v.at("user").at("username").as_string(), name);
    EXPECT_EQ(v, json::value(participant_json(p, true)));
  }
}

TEST(PartiesStateText, PartyStateListsTheParticipantsInOrderWithTheirPresence) {
  PartyRow party;
  party.id = "party-1";
  party.title = "Movie \"night\"";
  std::vector<ParticipantRow> people{row("u1", "host", Role::host), row("u2", "guest", Role::participant)};
  std::set<std::string> online{"u2"};
  Playback playback;
  std::vector<MessageRow> recent;
  std::optional<std::vector<MessageRow>> missed;
  std::string me = "u2";
  auto state = json::parse(protocol::party_state(
                               {party, people, true, online, 1, playback, recent, missed, me, Role::participant}))
                   .as_object();
  EXPECT_EQ(state.at("type"), "party_state");
  EXPECT_EQ(state.at("party").at("title"), "Movie \"night\"");
  auto& listed = state.at("participants").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], json::value(participant_json(people[0], false)));
  EXPECT_EQ(listed[1], json::value(participant_json(people[1], true)));
  EXPECT_EQ(state.at("participants_complete"), true);
  EXPECT_EQ(state.at("you").at("user_id"), "u2");
  EXPECT_FALSE(state.contains("missed_messages"));
}

TEST(PartiesStateText, AnEmptyListIsAnEmptyArray) {
  PartyRow party;
  std::vector<ParticipantRow> people;
  std::set<std::string> online;
  Playback playback;
  std::vector<MessageRow> recent;
  std::optional<std::vector<MessageRow>> missed{std::vector<MessageRow>{}};
  std::string me = "u1";
  auto state = json::parse(protocol::party_state(
                               {party, people, false, online, 0, playback, recent, missed, me, Role::host}))
                   .as_object();
  EXPECT_TRUE(state.at("participants").as_array().empty());
  EXPECT_TRUE(state.at("missed_messages").as_array().empty());
}

}  // namespace
}  // namespace wp::parties
