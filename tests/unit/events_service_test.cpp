// The event rules on a temporary SQLite database, with a fake Relations
// (blocks set by the test), a Notifier that records every notice and a
// party opener that records what it was asked.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/notifier.hpp"
#include "core/relations.hpp"
#include "modules/events/policy.hpp"
#include "modules/events/service.hpp"
#include "modules/events/store.hpp"
#include "support/block_list.hpp"
#include "support/error_code.hpp"
#include "support/recording_notifier.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::events;
using wp::ErrorCode;
using wp::Principal;
using wp::testkit::error_code_of;
using wp::testkit::RecordingNotifier;
using FakeRelations = wp::testkit::BlockList;

constexpr std::int64_t kHour = 3600 * 1000;

struct EventWorld : wp::testkit::TempDatabase {
  FakeRelations relations;
  RecordingNotifier notices;
  Store store{*db};
  EventsService service{store, relations, notices};

  // A block as the social module keeps it: its answer (Relations) and its row (lists filter in SQL).
  void block(const Principal& blocker, const Principal& blocked) {
    relations.block(blocker.id, blocked.id);
    std::string id = wp::new_uuid();
    long long now = wp::now_ms();
    db->with([&](soci::session& s) {
      s << "INSERT INTO user_blocks (id, blocker_id, blocked_id, created_at) VALUES (:i, :a, :b, :t)", soci::use(id),
          soci::use(blocker.id), soci::use(blocked.id), soci::use(now);
    });
  }

  EventRow create(const Principal& organizer, std::function<void(EventInput&)> edit = {}) {
    EventInput in;
    in.title = "Film night";
    in.start_time = wp::now_ms() + kHour;
    in.end_time = wp::now_ms() + 2 * kHour;
    if (edit) edit(in);
    return service.create(organizer, in);
  }
};

TEST(EventsService, FortyConcurrentJoinsOnTenSeatsLeaveTenGoingAndThirtyWaitlistedInOrder) {
  EventWorld w;
  auto org = w.add_user("org");
  auto e = w.create(org, [](EventInput& in) { in.max_attendees = std::optional<int>{10}; });
  std::vector<Principal> users;
  for (int i = 0; i < 40; ++i) users.push_back(w.add_user("u" + std::to_string(i)));
  std::vector<std::thread> threads;
  std::atomic<int> next{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = next++; i < 40; i = next++) w.service.join(users[i], e.id);
    });
  for (auto& t : threads) t.join();
  auto c = w.store.counts(e.id);
  EXPECT_EQ(c.going, 10);
  EXPECT_EQ(c.waitlisted, 30);
  EXPECT_EQ(w.store.event(e.id)->going_count, 10);
  auto waitlist = w.store.attendees(e.id, AttendeeStatus::waitlisted, 100, 0);
  ASSERT_EQ(waitlist.size(), 30u);
  for (std::size_t i = 0; i < waitlist.size(); ++i) EXPECT_EQ(waitlist[i].position, static_cast<long long>(i + 1));
  // A leave promotes exactly the first of the waitlist, and tells them.
  auto going = w.store.going_ids(e.id);
  Principal leaver{going[3], "x"};
  w.service.leave(leaver, e.id);
  c = w.store.counts(e.id);
  EXPECT_EQ(c.going, 10);
  EXPECT_EQ(c.waitlisted, 29);
  EXPECT_EQ(w.store.attendee(e.id, waitlist[0].user_id)->status, AttendeeStatus::going);
  EXPECT_EQ(w.notices.users_told("event_waitlist_promoted"), std::set<std::string>{waitlist[0].user_id});
  EXPECT_EQ(w.store.attendees(e.id, AttendeeStatus::waitlisted, 1, 0)[0].user_id, waitlist[1].user_id);
  // A larger limit promotes as many as it frees.
  EventInput more;
  more.max_attendees = std::optional<int>{13};
  w.service.update(org, e.id, more, Scope::this_one);
  EXPECT_EQ(w.store.counts(e.id).going, 13);
  EXPECT_EQ(w.notices.of_type("event_waitlist_promoted").size(), 4u);
}

TEST(EventsService, ApprovalPrivateEventsInvitationsAndBlocks) {
  EventWorld w;
  auto org = w.add_user("org"), ann = w.add_user("ann"), bob = w.add_user("bob"), eve = w.add_user("eve");
  auto staff = w.add_user("staff", true);
  auto asked = w.create(org, [](EventInput& in) { in.require_approval = true; });
  EXPECT_EQ(w.service.join(ann, asked.id).status, AttendeeStatus::pending);
  EXPECT_EQ(error_code_of([&] { w.service.approve(ann, asked.id, ann.id); }), ErrorCode::forbidden);
  EXPECT_EQ(w.service.approve(org, asked.id, ann.id).status, AttendeeStatus::going);

  auto secret = w.create(org, [](EventInput& in) { in.is_public = false; });
  EXPECT_EQ(error_code_of([&] { w.service.get(bob, secret.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.service.join(bob, secret.id); }), ErrorCode::not_found);
  EXPECT_NO_THROW(w.service.get(staff, secret.id));
  w.service.invite(org, secret.id, bob.id);
  EXPECT_EQ(w.notices.users_told("event_invitation"), std::set<std::string>{bob.id});
  EXPECT_NO_THROW(w.service.get(bob, secret.id));
  EXPECT_EQ(error_code_of([&] { w.service.join(bob, secret.id); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.service.invite(org, secret.id, bob.id); }), ErrorCode::conflict);
  EXPECT_EQ(w.service.accept_invitation(bob, secret.id).status, AttendeeStatus::going);
  auto inv = w.store.invitation(secret.id, bob.id);
  EXPECT_EQ(inv->status, InvitationStatus::accepted);
  EXPECT_TRUE(inv->responded_at.has_value());
  // Attendees may not invite unless the settings say so.
  EXPECT_EQ(error_code_of([&] { w.service.invite(bob, secret.id, ann.id); }), ErrorCode::forbidden);

  // A block hides the organizer's events and refuses invitations both ways.
  w.block(org, eve);
  EXPECT_EQ(error_code_of([&] { w.service.get(eve, asked.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.service.invite(org, secret.id, eve.id); }), ErrorCode::validation);
  long long count = -1;
  EXPECT_TRUE(w.service.list(eve, {}, 50, 0, count).empty());
  EXPECT_EQ(count, 0);
  EXPECT_EQ(w.service.list(ann, {}, 50, 0, count).size(), 1u) << "the private event is not listed to a stranger";
}

TEST(EventsService, ATimeChangeOrACancellationTellsThoseGoing) {
  EventWorld w;
  auto org = w.add_user("org"), ann = w.add_user("ann"), bob = w.add_user("bob");
  auto e = w.create(org);
  w.service.join(ann, e.id);
  w.service.rsvp(bob, e.id, RsvpResponse::maybe, "perhaps");
  EXPECT_EQ(w.store.counts(e.id).maybe, 1);
  EventInput later;
  later.start_time = e.start_time + kHour;
  w.service.update(org, e.id, later, Scope::this_one);
  auto moved = w.store.event(e.id);
  EXPECT_EQ(moved->end_time - moved->start_time, e.end_time - e.start_time) << "the length is kept";
  EXPECT_EQ(w.notices.users_told("event_updated"), std::set<std::string>{ann.id});
  EventInput cancel;
  cancel.status = EventStatus::cancelled;
  EXPECT_EQ(error_code_of([&] { w.service.update(ann, e.id, cancel, Scope::this_one); }), ErrorCode::forbidden);
  w.service.update(org, e.id, cancel, Scope::this_one);
  EXPECT_EQ(w.notices.users_told("event_cancelled"), std::set<std::string>{ann.id});
  EXPECT_EQ(error_code_of([&] { w.service.join(bob, e.id); }), ErrorCode::conflict);
  EXPECT_TRUE(w.store.due_reminders(e.start_time).empty()) << "a cancelled event reminds nobody";
}

TEST(EventsService, RemindersGoOutOnceAtEachOffsetEvenWithTwoWorkers) {
  EventWorld w;
  auto org = w.add_user("org");
  auto e = w.create(org);
  std::vector<Principal> users;
  for (int i = 0; i < 20; ++i) {
    users.push_back(w.add_user("r" + std::to_string(i)));
    w.service.join(users.back(), e.id);
  }
  // One attendee wants a single reminder 30 minutes before; offsets are checked.
  auto prefs = boost::json::parse(R"({"reminder_offsets": [30]})").as_object();
  w.service.set_preferences(users[0], e.id, prefs);
  EXPECT_FALSE(check_preferences(boost::json::parse(R"({"reminder_offsets": [0]})").as_object()).empty());
  EXPECT_FALSE(check_preferences(boost::json::parse(R"({"reminder_offsets": [5, 5]})").as_object()).empty());
  EXPECT_FALSE(check_preferences(boost::json::parse(R"({"colour": 1})").as_object()).empty());

  auto at = e.start_time - 15 * 60 * 1000 + 1;  // past the 30- and 15-minute marks
  std::atomic<int> sent{0};
  std::thread a([&] { sent += w.service.tick(at, "a").reminders_sent; });
  std::thread b([&] { sent += w.service.tick(at, "b").reminders_sent; });
  a.join();
  b.join();
  EXPECT_EQ(sent.load(), 20);  // 19 at 15 minutes, 1 at 30 minutes
  EXPECT_EQ(w.notices.of_type("event_reminder").size(), 20u);
  EXPECT_EQ(w.service.tick(at + 1000, "a").reminders_sent, 0);
  EXPECT_EQ(w.notices.users_told("event_reminder").size(), 20u);
}

// A notifier that fails while `down`, as a database that is away does.
struct FlakyNotifier : RecordingNotifier {
  bool down = false;
  void notify(const wp::Notice& n) override {
    if (down) throw wp::Error(ErrorCode::unavailable, "database away");
    RecordingNotifier::notify(n);
  }
};

TEST(EventsService, AReminderLeftByADeadNodeOrAFailedNoticeGoesOutWhenItsLeaseEnds) {
  wp::testkit::TempDatabase tdb;
  FakeRelations relations;
  FlakyNotifier notices;
  Store store{*tdb.db};
  EventsService service{store, relations, notices};
  auto org = tdb.add_user("org"), ann = tdb.add_user("ann"), bob = tdb.add_user("bob");
  EventInput in;
  in.title = "Film night";
  in.start_time = wp::now_ms() + kHour;
  in.end_time = *in.start_time + kHour;
  auto e = service.create(org, in);
  auto prefs = boost::json::parse(R"({"reminder_offsets": [30]})").as_object();
  for (auto& u : {ann, bob}) {
    service.join(u, e.id);
    service.set_preferences(u, e.id, prefs);
  }
  auto at = e.start_time - 30 * 60 * 1000 + 1;
  // A node claims ann's reminder and dies before it is marked sent.
  auto due = store.due_reminders(at);
  ASSERT_EQ(due.size(), 2u);
  auto dead = std::find_if(due.begin(), due.end(), [&](auto& d) { return d.user_id == ann.id; });
  ASSERT_TRUE(store.claim_reminder(dead->id, "dead", at, at + 10'000));
  EXPECT_FALSE(store.claim_reminder(dead->id, "b", at + 1, at + 10'001));
  // Bob's notice fails: his reminder stays unsent, under this node's lease.
  notices.down = true;
  EXPECT_THROW(service.tick(at, "b"), wp::Error);
  notices.down = false;
  EXPECT_EQ(service.tick(at + 5'000, "b").reminders_sent, 0);  // both leases still hold
  EXPECT_TRUE(notices.take().empty());
  EXPECT_EQ(service.tick(at + 10'001, "b").reminders_sent, 2);
  std::map<std::string, std::string> reminder_of;  // user -> reminder id
  for (auto& d : due) reminder_of[d.user_id] = d.id;
  auto sent = notices.take();
  ASSERT_EQ(sent.size(), 2u);
  for (auto& n : sent) EXPECT_EQ(n.dedupe_key, "event_reminder:" + reminder_of[n.user_id]);
  EXPECT_EQ(service.tick(at + 30'000, "b").reminders_sent, 0);  // marked sent: never again
}

TEST(EventsService, AnEventWithCreatesPartyOpensItOnceAndEndsWithIt) {
  EventWorld w;
  auto org = w.add_user("org"), ann = w.add_user("ann");
  std::vector<PartyRequest> asked;
  w.service.set_party_opener([&](const PartyRequest& r) {
    asked.push_back(r);
    // What the parties module would make (app.cpp): a party row of the organizer's.
    std::string id = wp::new_uuid(), code = "code" + std::to_string(asked.size());
    long long now = wp::now_ms();
    w.db->with([&](soci::session& s) {
      s << "INSERT INTO watch_parties (id, host_id, title, status, room_code, visibility, max_participants, "
           "created_at, updated_at) VALUES (:id, :h, :t, 'live', :c, 'private', 50, :n, :u)",
          soci::use(id), soci::use(r.organizer_id), soci::use(r.title), soci::use(code), soci::use(now), soci::use(now);
    });
    return id;
  });
  auto e = w.create(org, [](EventInput& in) { in.creates_party = true; });
  w.service.join(ann, e.id);
  EXPECT_EQ(w.service.tick(e.start_time - 1, "a").started, 0);
  auto r = w.service.tick(e.start_time, "a");
  EXPECT_EQ(r.started, 1);
  EXPECT_EQ(w.service.tick(e.start_time, "b").started, 0);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].attendee_ids, std::vector<std::string>{ann.id});
  EXPECT_EQ(asked[0].organizer_id, org.id);
  auto live = w.store.event(e.id);
  EXPECT_EQ(live->status, EventStatus::live);
  ASSERT_TRUE(live->party_id);
  w.service.party_ended("22222222-2222-4222-8222-222222222222");  // another party: nothing
  EXPECT_EQ(w.store.event(e.id)->status, EventStatus::live);
  w.service.party_ended(*live->party_id);
  EXPECT_EQ(w.store.event(e.id)->status, EventStatus::ended);
}

TEST(EventsService, EditingThisOccurrenceOrAllFollowing) {
  EventWorld w;
  auto org = w.add_user("org");
  auto first = w.create(org, [](EventInput& in) {
    in.recurrence = RecurrenceInput{Recurrence::weekly, *in.start_time + 3 * 7 * 24 * kHour};
  });
  ASSERT_TRUE(first.series_id);
  auto series = w.store.series_from(*first.series_id, 0);
  ASSERT_EQ(series.size(), 4u);
  EventInput rename;
  rename.title = "Just this one";
  w.service.update(org, series[1].id, rename, Scope::this_one);
  EventInput shift;
  shift.start_time = series[2].start_time + kHour;
  shift.title = "Later from here";
  w.service.update(org, series[2].id, shift, Scope::following);
  auto after = w.store.series_from(*first.series_id, 0);
  EXPECT_EQ(after[0].title, "Film night");
  EXPECT_EQ(after[1].title, "Just this one");
  EXPECT_EQ(after[0].start_time, series[0].start_time);
  EXPECT_EQ(after[1].start_time, series[1].start_time);
  for (int i : {2, 3}) {
    EXPECT_EQ(after[i].title, "Later from here");
    EXPECT_EQ(after[i].start_time, series[i].start_time + kHour);
    EXPECT_EQ(after[i].end_time - after[i].start_time, kHour);
  }
  w.service.remove(org, after[2].id, Scope::following);
  EXPECT_EQ(w.store.series_from(*first.series_id, 0).size(), 2u);
}

}  // namespace
