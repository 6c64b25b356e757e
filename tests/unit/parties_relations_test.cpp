// The parties rules with the social graph wired in (as app.cpp does): friends
// parties, and blocks in participant lists and invitations.
#include <gtest/gtest.h>

#include <algorithm>

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
  SocialPartyWorld() { service.set_relations(social); }
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

}  // namespace
