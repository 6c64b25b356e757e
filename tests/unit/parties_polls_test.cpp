// The poll rules on a temporary SQLite database, with the parties module of
// one node (PartyWorld) and recording connections: who creates and closes,
// votes and their change, exact counts under concurrent votes, the results'
// debounce, and the close at expiry announced once when two nodes tick.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/polls_service.hpp"
#include "support/error_code.hpp"
#include "support/party_fixture.hpp"

namespace {

using namespace wp::parties;
using wp::Principal;
using wp::testkit::error_code_of;
using wp::testkit::eventually;
using wp::testkit::PartyWorld;

struct PollWorld : PartyWorld {
  PollStore poll_store{*db};
  PollsService polls{poll_store, service, hub};

  PollView make(const Principal& who, const std::string& party_id, std::vector<std::string> options = {"a", "b", "c"},
                bool multiple = false) {
    CreatePollInput in;
    in.question = "Which?";
    in.options = std::move(options);
    in.multiple_choice = multiple;
    return polls.create(who, party_id, in);
  }
  std::vector<std::int64_t> counts(const Principal& who, const std::string& party_id, const std::string& poll_id) {
    long long n = 0;
    for (auto& v : polls.list(who, party_id, 50, 0, n))
      if (v.poll.id == poll_id) {
        std::vector<std::int64_t> out;
        for (auto& o : v.poll.options) out.push_back(o.votes_count);
        return out;
      }
    return {};
  }
};

TEST(PartiesPolls, OnlyTheHostAndModeratorsCreateAndClose) {
  PollWorld w;
  auto host = w.add_user("host"), mod = w.add_user("mod"), guest = w.add_user("guest"), out = w.add_user("out");
  auto party = w.create_party(host);
  w.service.join(mod, party.id);
  w.service.join(guest, party.id);
  w.service.moderate(host, party.id, mod.id, ModerationAction::promote);
  auto poll = w.make(mod, party.id);
  EXPECT_EQ(poll.poll.options.size(), 3u);
  EXPECT_EQ(error_code_of([&] { w.make(guest, party.id); }), wp::ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.make(out, party.id); }), wp::ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.make(host, party.id, {"one"}); }), wp::ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { w.make(host, party.id, {"x", "x"}); }), wp::ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { w.polls.close(guest, party.id, poll.poll.id); }), wp::ErrorCode::forbidden);
  EXPECT_TRUE(w.polls.close(host, party.id, poll.poll.id).poll.closed_at.has_value());
  // a poll of another party is not found through this one
  auto other = w.create_party(host);
  EXPECT_EQ(error_code_of([&] { w.polls.close(host, other.id, poll.poll.id); }), wp::ErrorCode::not_found);
}

TEST(PartiesPolls, AVoteChangesUntilTheCloseAndAClosedPollRefuses) {
  PollWorld w;
  auto host = w.add_user("host"), guest = w.add_user("guest");
  auto party = w.create_party(host);
  w.service.join(guest, party.id);
  auto single = w.make(host, party.id);
  auto& o = single.poll.options;
  w.polls.vote(guest, party.id, single.poll.id, {o[0].id});
  auto after = w.polls.vote(guest, party.id, single.poll.id, {o[2].id});
  EXPECT_EQ(after.my_choices, std::vector<std::string>{o[2].id});
  EXPECT_EQ(w.counts(host, party.id, single.poll.id), (std::vector<std::int64_t>{0, 0, 1}));
  EXPECT_EQ(error_code_of([&] { w.polls.vote(guest, party.id, single.poll.id, {o[0].id, o[1].id}); }),
            wp::ErrorCode::validation);
  auto multi = w.make(host, party.id, {"a", "b", "c"}, true);
  auto& m = multi.poll.options;
  w.polls.vote(guest, party.id, multi.poll.id, {m[0].id, m[1].id});
  w.polls.vote(guest, party.id, multi.poll.id, {m[1].id, m[2].id});
  EXPECT_EQ(w.counts(host, party.id, multi.poll.id), (std::vector<std::int64_t>{0, 1, 1}));
  w.polls.close(host, party.id, single.poll.id);
  EXPECT_EQ(error_code_of([&] { w.polls.vote(guest, party.id, single.poll.id, {o[1].id}); }), wp::ErrorCode::conflict);
  EXPECT_EQ(w.counts(host, party.id, single.poll.id), (std::vector<std::int64_t>{0, 0, 1}));
}

TEST(PartiesPolls, ConcurrentVotesAndChangesAreCountedExactly) {
  PollWorld w;
  auto host = w.add_user("host");
  auto party = w.create_party(host);
  std::vector<Principal> voters;
  for (int i = 0; i < 24; ++i) {
    voters.push_back(w.add_user("v" + std::to_string(i)));
    w.service.join(voters.back(), party.id);
  }
  auto poll = w.make(host, party.id, {"a", "b"});
  auto a = poll.poll.options[0].id, b = poll.poll.options[1].id;
  std::vector<std::thread> threads;
  for (auto& v : voters)
    threads.emplace_back([&, v] {
      w.polls.vote(v, party.id, poll.poll.id, {a});
      w.polls.vote(v, party.id, poll.poll.id, {b});  // a change races the others' first votes
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(w.counts(host, party.id, poll.poll.id), (std::vector<std::int64_t>{0, 24}));
}

TEST(PartiesPolls, ResultsAreDebouncedAndTheLastSendHasTheFinalCounts) {
  PollWorld w;
  auto host = w.add_user("host"), g1 = w.add_user("g1"), g2 = w.add_user("g2");
  auto party = w.create_party(host);
  w.service.join(g1, party.id);
  w.service.join(g2, party.id);
  auto s = w.connect(host, party.id);
  auto poll = w.make(host, party.id, {"a", "b"}, false);
  EXPECT_EQ(s.conn->messages("poll_created").size(), 1u);
  w.polls.vote(g1, party.id, poll.poll.id, {poll.poll.options[0].id});
  w.polls.vote(g2, party.id, poll.poll.id, {poll.poll.options[1].id});
  // the second vote came within the interval: it waits for the timer
  ASSERT_EQ(s.conn->messages("poll_results").size(), 1u);
  EXPECT_EQ(s.conn->messages("poll_results")[0].at("total_votes").as_int64(), 1);
  ASSERT_TRUE(eventually([&] {
    w.polls.tick();
    return s.conn->messages("poll_results").size() == 2;
  }));
  auto last = s.conn->messages("poll_results").back();
  EXPECT_EQ(last.at("total_votes").as_int64(), 2);
  // nothing of the voters: counts only
  EXPECT_EQ(boost::json::serialize(last).find(g1.id), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  w.polls.tick();
  EXPECT_EQ(s.conn->messages("poll_results").size(), 2u);
}

TEST(PartiesPolls, AnExpiredPollIsClosedOnceWhenTwoNodesTick) {
  PollWorld w;
  PollsService other_node{w.poll_store, w.service, w.hub};
  auto host = w.add_user("host");
  auto party = w.create_party(host);
  auto s = w.connect(host, party.id);
  // A poll that expired while no server ran.
  PollRow p;
  p.id = wp::new_uuid();
  p.party_id = party.id;
  p.creator_id = host.id;
  p.question = "Gone?";
  p.created_at = wp::now_ms() - 5000;
  p.expires_at = p.created_at + 1000;
  p.options = {{wp::new_uuid(), p.id, 0, "yes", 0}, {wp::new_uuid(), p.id, 1, "no", 0}};
  w.poll_store.create(p);
  std::thread t1([&] { w.polls.tick(); }), t2([&] { other_node.tick(); });
  t1.join();
  t2.join();
  ASSERT_EQ(s.conn->messages("poll_closed").size(), 1u);
  EXPECT_EQ(s.conn->messages("poll_closed")[0].at("poll").at("closed_at"),
            s.conn->messages("poll_closed")[0].at("poll").at("expires_at"));
}

}  // namespace
