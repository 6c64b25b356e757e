// The mobile rules on a temporary SQLite database: devices and their push
// tokens (handover, revocation), the signed cursors, the delta sync's pages
// (same-millisecond changes, tombstones, resume), the offline pushes'
// conflict rules and their batch ids, and the limits.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <set>

#include "core/rate_limiter.hpp"
#include "modules/mobile/cursor.hpp"
#include "modules/mobile/service.hpp"
#include "support/error_code.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::mobile;
using wp::ErrorCode;
using wp::Principal;
using wp::testkit::error_code_of;
namespace json = boost::json;

// What the push module was told, token -> owner ("" once forgotten).
struct FakePush {
  std::map<std::string, std::string> owner;
  PushBinding binding() {
    return {[this](const Principal& u, const std::string& t, Platform) { owner[t] = u.id; },
            [this](const std::string& t) { owner[t] = ""; }};
  }
};

struct MobileWorld {
  wp::testkit::TempDatabase tdb;
  Store store{*tdb.db};
  MobileService svc{store, SyncSettings{.default_page = 3, .max_page = 50, .syncs_per_minute = 0}};
  FakePush push;
  MobileWorld() { svc.set_push(push.binding()); }
  Principal user(const std::string& name) { return tdb.add_user(name + "_" + wp::new_uuid().substr(0, 6)); }
  DeviceRow device(const Principal& p, const std::string& install, std::optional<std::string> token = std::nullopt) {
    bool created = false;
    DeviceInput in;
    in.device_id = install;
    in.platform = "android";
    in.push_token = std::move(token);
    return svc.register_device(p, in, created);
  }
  // Syncs one type to the end, page after page, applying each page to `state`.
  std::string drain(const Principal& p, DataType type, std::optional<std::string> cursor,
                    std::map<std::string, std::string>& state, int* pages = nullptr) {
    for (int guard = 0; guard < 1000; ++guard) {
      SyncRequest r;
      r.device_id = "phone";
      r.cursors[type] = cursor;
      auto out = svc.sync(p, r);
      for (const auto& c : out.pages.at(0).changes) {
        if (c.deleted)
          state.erase(c.record_id);
        else
          state[c.record_id] = c.payload;
      }
      cursor = out.pages.at(0).cursor;
      if (pages) ++*pages;
      if (!out.has_more) return *cursor;
    }
    ADD_FAILURE() << "the sync never ended";
    return "";
  }
  std::map<std::string, std::string> server_state(const Principal& p, DataType type) {
    std::map<std::string, std::string> out;
    for (const auto& r : store.live_records(p.id, type)) out[r.record_id] = r.payload;
    return out;
  }
};

double position(const std::string& payload) { return json::parse(payload).at("position_s").to_number<double>(); }

Change setting(const std::string& key, int value) {
  return {DataType::settings, key, false, json::serialize(json::object{{"key", key}, {"value", value}})};
}

TEST(MobileCursor, SignedCursorsRoundTripAndRefuseTampering) {
  Cursor c{"u1", DataType::friends, 42};
  auto text = sign_cursor("key", c);
  auto back = verify_cursor("key", text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->user_id, "u1");
  EXPECT_EQ(back->type, DataType::friends);
  EXPECT_EQ(back->seq, 42);
  EXPECT_FALSE(verify_cursor("other key", text));
  auto forged = sign_cursor("key", {"u1", DataType::friends, 43});
  EXPECT_FALSE(verify_cursor("key", forged.substr(0, forged.find('.')) + text.substr(text.find('.'))));
  EXPECT_FALSE(verify_cursor("key", "garbage"));
  EXPECT_FALSE(verify_cursor("key", ""));
}

TEST(MobileDevices, RegisteringAgainUpdatesTheSameDevice) {
  MobileWorld w;
  auto alice = w.user("alice");
  bool created = false;
  DeviceInput in{.device_id = "phone", .platform = "ios", .name = "Alice's phone", .app_version = "1.0.0"};
  auto first = w.svc.register_device(alice, in, created);
  EXPECT_TRUE(created);
  in.name = "";
  in.app_version = "1.1.0";
  auto again = w.svc.register_device(alice, in, created);
  EXPECT_FALSE(created);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.name, "Alice's phone");  // kept when none is sent
  EXPECT_EQ(again.app_version, "1.1.0");
  EXPECT_EQ(w.svc.devices(alice).size(), 1u);
  in.platform = "pager";
  EXPECT_EQ(error_code_of([&] { w.svc.register_device(alice, in, created); }), ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { w.svc.remove_device(w.user("bob"), first.id); }), ErrorCode::not_found);
}

TEST(MobileDevices, ATokenReRegisteredOnAnotherAccountLeavesThePreviousOne) {
  MobileWorld w;
  auto alice = w.user("alice"), bob = w.user("bob");
  w.device(alice, "phone", "tok-1");
  EXPECT_EQ(w.push.owner["tok-1"], alice.id);
  w.device(bob, "phone", "tok-1");  // the same phone, now signed in as bob
  EXPECT_EQ(w.push.owner["tok-1"], bob.id);
  EXPECT_FALSE(w.svc.devices(alice).at(0).push_token.has_value());
  EXPECT_EQ(w.svc.devices(bob).at(0).push_token, "tok-1");
  // A new token for the device gives up the old one.
  w.device(bob, "phone", "tok-2");
  EXPECT_EQ(w.push.owner["tok-1"], "");
  EXPECT_EQ(w.push.owner["tok-2"], bob.id);
}

TEST(MobileDevices, RemovingDisablingOrMutingRevokesTheToken) {
  MobileWorld w;
  auto alice = w.user("alice");
  auto d = w.device(alice, "phone", "tok");
  w.svc.update_device(alice, d.id, {.disabled = true});
  EXPECT_EQ(w.push.owner["tok"], "");
  w.svc.update_device(alice, d.id, {.disabled = false});
  EXPECT_EQ(w.push.owner["tok"], alice.id);
  w.svc.update_device(alice, d.id, {.push_enabled = false});
  EXPECT_EQ(w.push.owner["tok"], "");
  w.svc.update_device(alice, d.id, {.push_enabled = true});
  w.svc.remove_device(alice, d.id);
  EXPECT_EQ(w.push.owner["tok"], "");
  EXPECT_TRUE(w.svc.devices(alice).empty());
}

TEST(MobileDevices, EndedSessionsRevokeTheTokensRegisteredUnderThem) {
  MobileWorld w;
  auto alice = w.user("alice");
  auto other_session = alice;
  other_session.session_id = "s2";
  w.device(alice, "phone", "tok-a");
  w.device(other_session, "tablet", "tok-b");
  // A password change keeps the session that made it.
  w.svc.sessions_ended(alice.id, std::nullopt, alice.session_id);
  EXPECT_EQ(w.push.owner["tok-a"], alice.id);
  EXPECT_EQ(w.push.owner["tok-b"], "");
  // A reset ends them all.
  w.svc.sessions_ended(alice.id, std::nullopt, std::nullopt);
  EXPECT_EQ(w.push.owner["tok-a"], "");
  for (const auto& d : w.svc.devices(alice)) EXPECT_FALSE(d.push_token.has_value());
}

TEST(MobileDevices, LastActiveMovesAtMostOncePerInterval) {
  MobileWorld w;
  auto alice = w.user("alice");
  auto d = w.device(alice, "phone");
  EXPECT_FALSE(w.store.touch_device(d.id, d.last_active + 1000, 60000));
  EXPECT_TRUE(w.store.touch_device(d.id, d.last_active + 61000, 60000));
  EXPECT_FALSE(w.store.touch_device(d.id, d.last_active + 62000, 60000));
}

TEST(MobileSync, ChangesInTheSameMillisecondAsTheCursorAreNotMissed) {
  MobileWorld w;
  auto alice = w.user("alice");
  w.device(alice, "phone");
  const std::int64_t t = 1'700'000'000'000;  // every change in one millisecond
  for (int i = 0; i < 5; ++i) w.store.record(alice.id, {setting("k" + std::to_string(i), i)}, t);
  std::map<std::string, std::string> app;
  int pages = 0;
  auto cursor = w.drain(alice, DataType::settings, std::nullopt, app, &pages);
  EXPECT_EQ(pages, 2);  // 3 + 2
  for (int i = 5; i < 9; ++i) w.store.record(alice.id, {setting("k" + std::to_string(i), i)}, t);
  w.store.record(alice.id, {{DataType::settings, "k0", true, "{}"}}, t);
  w.drain(alice, DataType::settings, cursor, app);
  EXPECT_EQ(app, w.server_state(alice, DataType::settings));
  EXPECT_EQ(app.size(), 8u);
  EXPECT_FALSE(app.count("k0"));
}

TEST(MobileSync, ACursorOfAnotherUserOrTypeIsRefused) {
  MobileWorld w;
  auto alice = w.user("alice"), bob = w.user("bob");
  w.device(alice, "phone");
  w.device(bob, "phone");
  std::map<std::string, std::string> app;
  auto cursor = w.drain(alice, DataType::settings, std::nullopt, app);
  SyncRequest r;
  r.device_id = "phone";
  r.cursors[DataType::settings] = cursor;
  EXPECT_EQ(error_code_of([&] { w.svc.sync(bob, r); }), ErrorCode::validation);
  r.cursors.clear();
  r.cursors[DataType::downloads] = cursor;
  EXPECT_EQ(error_code_of([&] { w.svc.sync(alice, r); }), ErrorCode::validation);
  r.device_id = "unknown";
  r.cursors[DataType::downloads] = std::nullopt;
  EXPECT_EQ(error_code_of([&] { w.svc.sync(alice, r); }), ErrorCode::not_found);
}

TEST(MobileSync, OfflinePushesFollowTheConflictRulesOncePerBatch) {
  MobileWorld w;
  auto alice = w.user("alice");
  w.device(alice, "phone");
  w.store.record(alice.id, {setting("theme", 1)}, wp::now_ms());
  SyncRequest r;
  r.device_id = "phone";
  r.push = PushBatch{.batch_id = "b1",
                     .settings = {{"theme", "\"dark\""}, {"volume", "3"}, {"volume", "5"}},
                     .watch_progress = {{"v1", 100, 600}, {"v1", 80, 600}},
                     .read_marks = {{"notification", "n1"}, {"notification", "n1"}}};
  auto out = w.svc.sync(alice, r);
  ASSERT_TRUE(out.push);
  EXPECT_FALSE(out.push->duplicate);
  auto state = w.server_state(alice, DataType::settings);
  EXPECT_EQ(json::parse(state.at("theme")).at("value").as_string(), "dark");  // last writer (this push) wins
  EXPECT_EQ(json::parse(state.at("volume")).at("value").as_int64(), 5);  // the later of the batch
  // A lower position later loses; a higher one wins.
  r.push = PushBatch{.batch_id = "b2", .watch_progress = {{"v1", 50, 600}}, .read_marks = {{"notification", "n2"}}};
  w.svc.sync(alice, r);
  EXPECT_EQ(position(w.server_state(alice, DataType::watch_history).at("v1")), 100);
  r.push = PushBatch{.batch_id = "b3", .watch_progress = {{"v1", 300, 600}}};
  w.svc.sync(alice, r);
  EXPECT_EQ(position(w.server_state(alice, DataType::watch_history).at("v1")), 300);
  // Read marks are a union.
  EXPECT_EQ(w.server_state(alice, DataType::read_marks).size(), 2u);
  // The same batch again changes nothing and answers as the first time.
  auto before = w.store.changes_since(alice.id, DataType::watch_history, 0, 100);
  r.push = PushBatch{.batch_id = "b2", .watch_progress = {{"v1", 900, 600}}};
  auto again = w.svc.sync(alice, r);
  EXPECT_TRUE(again.push->duplicate);
  EXPECT_EQ(again.push->result_json, w.svc.sync(alice, r).push->result_json);
  auto after = w.store.changes_since(alice.id, DataType::watch_history, 0, 100);
  ASSERT_EQ(after.size(), before.size());
  EXPECT_EQ(after[0].seq, before[0].seq);
}

TEST(MobileSync, ASyncIsRecordedAndResumedAfterACut) {
  MobileWorld w;
  auto alice = w.user("alice");
  w.device(alice, "phone");
  for (int i = 0; i < 7; ++i) w.store.record(alice.id, {setting("k" + std::to_string(i), i)}, wp::now_ms());
  SyncRequest r;
  r.device_id = "phone";
  r.cursors[DataType::settings] = std::nullopt;
  auto first = w.svc.sync(alice, r);
  EXPECT_EQ(first.sync.sync_type, SyncType::full);
  EXPECT_EQ(first.sync.status, SyncStatus::in_progress);
  // The answer to the second page is lost: the app asks with the cursor it acknowledged again.
  r.sync_id = first.sync.id;
  r.cursors[DataType::settings] = first.pages[0].cursor;
  auto lost = w.svc.sync(alice, r);
  auto resumed = w.svc.sync(alice, r);
  EXPECT_EQ(resumed.sync.id, first.sync.id);
  EXPECT_EQ(resumed.sync.retry_count, 1);
  ASSERT_EQ(resumed.pages[0].changes.size(), lost.pages[0].changes.size());
  EXPECT_EQ(resumed.pages[0].changes[0].record_id, lost.pages[0].changes[0].record_id);
  r.cursors[DataType::settings] = resumed.pages[0].cursor;
  auto last = w.svc.sync(alice, r);
  EXPECT_FALSE(last.has_more);
  EXPECT_EQ(last.sync.status, SyncStatus::completed);
  EXPECT_EQ(last.sync.pages, 4);
  EXPECT_TRUE(last.sync.duration_ms.has_value());
  auto rows = w.svc.syncs(alice, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, SyncStatus::completed);
}

TEST(MobileSync, PageSizeAndRateAreLimited) {
  MobileWorld w;
  wp::MemoryRateLimiter limiter;
  MobileService svc{w.store, SyncSettings{.default_page = 3, .max_page = 50, .syncs_per_minute = 2}};
  svc.set_rate_limiter(limiter);
  auto alice = w.user("alice");
  w.device(alice, "phone");
  SyncRequest r;
  r.device_id = "phone";
  r.cursors[DataType::settings] = std::nullopt;
  r.page_size = 51;
  EXPECT_EQ(error_code_of([&] { svc.sync(alice, r); }), ErrorCode::validation);
  for (int i = 0; i < 5; ++i) w.store.record(alice.id, {setting("k" + std::to_string(i), i)}, wp::now_ms());
  r.page_size = 2;
  svc.sync(alice, r);
  auto running = svc.sync(alice, r);
  EXPECT_EQ(error_code_of([&] { svc.sync(alice, r); }), ErrorCode::rate_limited);
  // The pages of a running sync are not syncs started.
  r.sync_id = running.sync.id;
  r.cursors[DataType::settings] = running.pages[0].cursor;
  EXPECT_EQ(svc.sync(alice, r).pages[0].changes.size(), 2u);
}

}  // namespace
