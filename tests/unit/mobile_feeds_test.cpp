// The sync's feeds of records other modules own, over fake modules on a
// temporary SQLite database: a recording follows its module (upserts,
// tombstones, nothing when nothing changed, users without a device skipped),
// a stale observation loses to a newer one, a first sync and (for types
// without change events) every sync compare the log with the module, and an
// offline push goes to the owning modules by the conflict rules, once per batch.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <set>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/mobile/service.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::mobile;
using wp::Principal;
namespace json = boost::json;

// A module's records per user, as the feed reads them.
struct FakeModule {
  std::map<std::string, FeedRecords> records;
  int reads = 0;
  FeedSource source(bool every_sync) {
    return {[this](const std::string& user, const std::string& id) -> std::optional<std::string> {
              ++reads;
              auto& r = records[user];
              auto it = r.find(id);
              return it == r.end() ? std::nullopt : std::optional<std::string>(it->second);
            },
            [this](const std::string& user) {
              ++reads;
              return records[user];
            },
            every_sync};
  }
};

std::string payload(const std::string& text) { return json::serialize(json::object{{"text", text}}); }

struct FeedsWorld {
  wp::testkit::TempDatabase tdb;
  Store store{*tdb.db};
  MobileService svc{store, SyncSettings{.default_page = 50, .max_page = 50, .syncs_per_minute = 0}};
  FakeModule notes, chats;
  FeedsWorld() {
    svc.set_feed(DataType::notifications, notes.source(false));
    svc.set_feed(DataType::conversations, chats.source(true));
  }
  Principal user(const std::string& name, bool with_device = true) {
    auto p = tdb.add_user(name + "_" + wp::new_uuid().substr(0, 6));
    if (with_device) {
      bool created = false;
      svc.register_device(p, DeviceInput{.device_id = "phone", .platform = "ios"}, created);
    }
    return p;
  }
  SyncResult sync(const Principal& p, DataType type, std::optional<std::string> cursor) {
    SyncRequest r;
    r.device_id = "phone";
    r.cursors[type] = std::move(cursor);
    return svc.sync(p, r);
  }
  std::vector<ChangeRow> log(const Principal& p, DataType type) { return store.changes_since(p.id, type, 0, 1000); }
};

TEST(MobileFeeds, ARecordingFollowsItsModuleWithTombstonesAndNoEmptyChanges) {
  FeedsWorld w;
  auto alice = w.user("alice");
  w.notes.records[alice.id]["n1"] = payload("hello");
  w.svc.record_changed(DataType::notifications, alice.id, "n1");
  auto first = w.log(alice, DataType::notifications);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].payload, payload("hello"));
  w.svc.record_changed(DataType::notifications, alice.id, "n1");  // heard twice, nothing changed
  EXPECT_EQ(w.log(alice, DataType::notifications)[0].seq, first[0].seq);
  w.notes.records[alice.id]["n1"] = payload("read");
  w.svc.record_changed(DataType::notifications, alice.id, "n1");
  auto second = w.log(alice, DataType::notifications);
  EXPECT_GT(second[0].seq, first[0].seq);
  EXPECT_EQ(second[0].payload, payload("read"));
  w.notes.records[alice.id].erase("n1");
  w.svc.record_changed(DataType::notifications, alice.id, "n1");
  EXPECT_TRUE(w.log(alice, DataType::notifications)[0].deleted);
  w.svc.record_changed(DataType::notifications, alice.id, "never-there");  // no tombstone for nothing
  EXPECT_EQ(w.log(alice, DataType::notifications).size(), 1u);
}

TEST(MobileFeeds, UsersWithoutADeviceAreNotRecordedUntilTheirFirstSync) {
  FeedsWorld w;
  auto bob = w.user("bob", false);
  w.notes.records[bob.id]["n1"] = payload("hi");
  w.svc.record_changed(DataType::notifications, bob.id, "n1");
  EXPECT_TRUE(w.log(bob, DataType::notifications).empty());
  EXPECT_EQ(w.notes.reads, 0);
  bool created = false;
  w.svc.register_device(bob, DeviceInput{.device_id = "phone", .platform = "android"}, created);
  auto page = w.sync(bob, DataType::notifications, std::nullopt).pages.at(0);  // a first sync compares everything
  ASSERT_EQ(page.changes.size(), 1u);
  EXPECT_EQ(page.changes[0].record_id, "n1");
}

TEST(MobileFeeds, AnOlderObservationDoesNotOverwriteANewerOne) {
  FeedsWorld w;
  auto alice = w.user("alice");
  const std::int64_t t = 1'700'000'000'000;
  EXPECT_EQ(w.store.record_observed(alice.id, {{DataType::notifications, "n1", false, payload("new")}}, t), 1);
  // A recording that asked its module before the one above and wrote after it.
  EXPECT_EQ(w.store.record_observed(alice.id, {{DataType::notifications, "n1", false, payload("old")}}, t - 5), 0);
  EXPECT_EQ(w.store.record_observed(alice.id, {{DataType::notifications, "n1", true, "{}"}}, t - 1), 0);
  EXPECT_EQ(w.log(alice, DataType::notifications)[0].payload, payload("new"));
  EXPECT_EQ(w.store.record_observed(alice.id, {{DataType::notifications, "n1", true, "{}"}}, t), 1);  // same ms: later wins
  EXPECT_TRUE(w.log(alice, DataType::notifications)[0].deleted);
}

TEST(MobileFeeds, ATypeWithoutChangeEventsIsComparedAtTheStartOfEverySync) {
  FeedsWorld w;
  auto alice = w.user("alice");
  w.chats.records[alice.id] = {{"c1", payload("a")}, {"c2", payload("b")}};
  auto first = w.sync(alice, DataType::conversations, std::nullopt).pages.at(0);
  EXPECT_EQ(first.changes.size(), 2u);
  // Changed in the module with no event heard: the next sync (not a page of the same one) sees it.
  w.chats.records[alice.id]["c1"] = payload("a2");
  w.chats.records[alice.id].erase("c2");
  w.chats.records[alice.id]["c3"] = payload("c");
  auto next = w.sync(alice, DataType::conversations, first.cursor).pages.at(0);
  std::map<std::string, bool> deleted;
  for (const auto& c : next.changes) deleted[c.record_id] = c.deleted;
  EXPECT_EQ(deleted, (std::map<std::string, bool>{{"c1", false}, {"c2", true}, {"c3", false}}));
  // Nothing changed: an empty page, the same cursor position.
  auto quiet = w.sync(alice, DataType::conversations, next.cursor).pages.at(0);
  EXPECT_TRUE(quiet.changes.empty());
  // A type with events (notifications) is compared only from the beginning.
  w.notes.records[alice.id]["n1"] = payload("x");
  auto from_start = w.sync(alice, DataType::notifications, std::nullopt).pages.at(0);
  w.notes.records[alice.id]["n2"] = payload("y");
  EXPECT_TRUE(w.sync(alice, DataType::notifications, from_start.cursor).pages.at(0).changes.empty());
  w.svc.record_changed(DataType::notifications, alice.id, "n2");
  EXPECT_EQ(w.sync(alice, DataType::notifications, from_start.cursor).pages.at(0).changes.size(), 1u);
}

// The owning modules of an offline push: a video's furthest position, read notifications, read points.
struct FakeTargets {
  std::map<std::string, double> position;  // by video; a video not here is refused (404)
  std::set<std::string> notifications, read;
  std::map<std::string, int> read_point;  // by conversation
  int calls = 0;
  PushTargets targets() {
    return {[this](const Principal&, const std::string& video, double p) {
              ++calls;
              auto it = position.find(video);
              if (it == position.end()) wp::throw_not_found("No such video.");
              if (p <= it->second) return false;
              it->second = p;
              return true;
            },
            [this](const Principal&, const std::string& id) {
              ++calls;
              if (!notifications.count(id)) wp::throw_not_found("No such notification.");
              return read.insert(id).second;
            },
            [this](const Principal&, const std::string& conversation, const std::string& message) {
              ++calls;
              if (!read_point.count(conversation)) wp::throw_forbidden("Not a member.");
              int m = std::stoi(message);
              if (m <= read_point[conversation]) return false;
              read_point[conversation] = m;
              return true;
            }};
  }
};

TEST(MobilePush, OfflinePushesApplyToTheOwningModulesByTheRulesOncePerBatch) {
  FeedsWorld w;
  FakeTargets t;
  t.position = {{"v1", 900}, {"v2", 10}};
  t.notifications = {"n1", "n2"};
  t.read = {"n2"};
  t.read_point = {{"c1", 5}};
  w.svc.set_push_targets(t.targets());
  FakeModule videos;
  w.svc.set_feed(DataType::watch_history, videos.source(false));
  auto alice = w.user("alice");
  SyncRequest r;
  r.device_id = "phone";
  r.cursors[DataType::watch_history] = std::nullopt;
  r.push = PushBatch{.batch_id = "b1",
                     .watch_progress = {{"v1", 300, 0}, {"v2", 50, 0}, {"v2", 40, 0}, {"gone", 5, 0}},
                     .read_marks = {{"notification", "n1", ""},
                                    {"notification", "n2", ""},
                                    {"notification", "nope", ""},
                                    {"conversation", "c1", "9"},
                                    {"conversation", "c1", "3"},
                                    {"conversation", "c9", "1"}}};
  videos.records[alice.id]["v2"] = payload("at 50");  // what the videos module will say after the push
  auto out = w.svc.sync(alice, r);
  auto result = json::parse(out.push->result_json).as_object();
  EXPECT_EQ(json::serialize(result.at("watch_progress")), R"({"applied":1,"kept":1,"refused":1})");
  EXPECT_EQ(json::serialize(result.at("read_marks")), R"({"applied":2,"already_read":2,"refused":2})");
  EXPECT_EQ(t.position["v1"], 900);  // the furthest wins
  EXPECT_EQ(t.position["v2"], 50);   // the batch's own furthest
  EXPECT_EQ(t.read, (std::set<std::string>{"n1", "n2"}));
  EXPECT_EQ(t.read_point["c1"], 9);  // a read point never goes back
  // The module's answer is in this sync's page.
  ASSERT_EQ(out.pages.at(0).changes.size(), 1u);
  EXPECT_EQ(out.pages[0].changes[0].payload, payload("at 50"));
  // Marks the modules refused are not kept; the others are, once each.
  std::set<std::string> marks;
  for (const auto& m : w.store.live_records(alice.id, DataType::read_marks)) marks.insert(m.record_id);
  EXPECT_EQ(marks, (std::set<std::string>{"notification:n1", "notification:n2", "conversation:c1:9", "conversation:c1:3"}));
  // The same batch again reaches no module and answers as the first time.
  int calls = t.calls;
  auto again = w.svc.sync(alice, r);
  EXPECT_TRUE(again.push->duplicate);
  EXPECT_EQ(again.push->result_json, out.push->result_json);
  EXPECT_EQ(t.calls, calls);
}

TEST(MobilePush, AnUnexpectedModuleFailureFailsThePushAndItsSync) {
  FeedsWorld w;
  PushTargets targets;
  targets.watch_position = [](const Principal&, const std::string&, double) -> bool {
    throw wp::Error(wp::ErrorCode::unavailable, "The database is busy.");
  };
  w.svc.set_push_targets(targets);
  auto alice = w.user("alice");
  SyncRequest r;
  r.device_id = "phone";
  r.push = PushBatch{.batch_id = "b1", .watch_progress = {{"v1", 300, 0}}};
  EXPECT_THROW(w.svc.sync(alice, r), wp::Error);
  EXPECT_FALSE(w.store.batch_result(alice.id, "b1"));  // not marked applied: a retry applies it
  auto rows = w.svc.syncs(alice, 5);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, SyncStatus::failed);
}

}  // namespace
