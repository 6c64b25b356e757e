// The live-room concurrency defects of issue #12, each pinned by a test.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <thread>

#include "core/serial_queue.hpp"
#include "modules/parties/playback_writer.hpp"
#include "modules/parties/protocol.hpp"
#include "support/party_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using wp::testkit::PartyWorld;

// typing and sync_request run on the I/O thread: they must not wait on the
// room lock, which pool threads hold (briefly, but a pool thread may be slow).
TEST(PartiesConcurrency, IoThreadPathsNeverWaitOnTheRoomLock) {
  PartyWorld w;
  auto host = w.add_user("host");
  auto party = w.create_party(host);
  auto s = w.connect(host, party.id);
  std::unique_lock held(s.room->mu);
  auto io = std::async(std::launch::async, [&] {
    w.rooms.typing(s.room, host, true);
    return w.rooms.playback_message(s.room);
  });
  bool done = io.wait_for(2s) == std::future_status::ready;
  held.unlock();
  ASSERT_TRUE(done) << "an I/O-thread path waited on room->mu";
  EXPECT_NE(io.get()->find("\"playback_state\""), std::string::npos);
  EXPECT_EQ(s.conn->messages("typing").size(), 1u);
}

// A goodbye is never run on the posting (I/O) thread, even when the pool is full.
TEST(PartiesConcurrency, PostAlwaysNeverRunsOnTheCallersThread) {
  wp::BlockingPool pool(1, 1);
  std::latch release(1);
  std::atomic<bool> busy{false};
  ASSERT_TRUE(pool.try_submit([&] {
    busy = true;
    release.wait();
  }));
  ASSERT_TRUE(wp::testkit::eventually([&] { return busy.load(); }));
  ASSERT_TRUE(pool.try_submit([] {}));  // the queue is full now
  auto queue = std::make_shared<wp::SerialQueue>(pool, 4);
  EXPECT_FALSE(queue->post([] {}));  // an ordinary task is refused
  std::promise<std::thread::id> ran_on;
  EXPECT_TRUE(queue->post_always([&] { ran_on.set_value(std::this_thread::get_id()); }));
  auto ran = ran_on.get_future();
  EXPECT_EQ(ran.wait_for(50ms), std::future_status::timeout) << "ran inline on the caller";
  release.count_down();
  ASSERT_EQ(ran.wait_for(2s), std::future_status::ready);
  EXPECT_NE(ran.get(), std::this_thread::get_id());
  pool.stop();
  EXPECT_FALSE(queue->post_always([] {}));  // stopping: refused, never run here
}

TEST(PartiesConcurrency, AnOlderPlaybackSaveNeverOverwritesANewerOne) {
  PartyWorld w;
  auto host = w.add_user("host");
  auto party = w.create_party(host);
  w.store.save_playback(party.id, 2, R"({"status":"paused","position":2.5,"version":2})");
  w.store.save_playback(party.id, 1, R"({"status":"paused","position":1.0,"version":1})");
  auto stored = wp::parties::protocol::parse_playback(w.store.party(party.id)->playback);
  EXPECT_EQ(stored.version, 2);
  EXPECT_DOUBLE_EQ(stored.position, 2.5);
}

TEST(PartiesConcurrency, PlaybackWriterKeepsRefusedAndFailedSavesAndWritesTheNewest) {
  std::vector<std::function<void()>> queued;
  bool accept = false, fail = false;
  std::vector<std::pair<std::string, long long>> written;
  wp::parties::PlaybackWriter writer(
      [&](std::function<void()> task) {
        if (accept) queued.push_back(std::move(task));
        return accept;
      },
      [&](const std::string& party, long long version, const std::string&) {
        if (fail) throw wp::Error(wp::ErrorCode::unavailable, "database down");
        written.emplace_back(party, version);
      });
  writer.save("p", 1, "{v1}");  // refused by the pool
  writer.save("p", 2, "{v2}");
  writer.save("p", 1, "{late v1}");  // older than what waits: ignored
  EXPECT_EQ(writer.pending("p")->first, 2);
  accept = true;
  writer.retry();
  ASSERT_EQ(queued.size(), 1u);
  fail = true;
  queued.back()();  // the write fails: kept
  EXPECT_EQ(writer.pending("p")->second, "{v2}");
  fail = false;
  writer.retry();
  ASSERT_EQ(queued.size(), 2u);
  queued.back()();
  EXPECT_EQ(written, (std::vector<std::pair<std::string, long long>>{{"p", 2}}));
  EXPECT_FALSE(writer.pending("p"));
}

// At shutdown the pool has stopped (it refuses everything): flush() writes
// what is still pending on the calling thread.
TEST(PartiesConcurrency, PlaybackWriterFlushWritesWhatAStoppedPoolRefused) {
  std::vector<long long> written;
  wp::parties::PlaybackWriter writer([](std::function<void()>) { return false; },
                                     [&](const std::string&, long long version, const std::string&) {
                                       written.push_back(version);
                                     });
  writer.save("p", 7, "{v7}");
  EXPECT_TRUE(written.empty());
  writer.flush();
  EXPECT_EQ(written, std::vector<long long>{7});
  EXPECT_FALSE(writer.pending("p"));
}

// The issue's reproduction: a seek at once followed by a pause, the only
// member leaves (the room unloads) and comes back: the pause must hold.
TEST(PartiesConcurrency, AReloadedPartyKeepsItsLastPlayback) {
  PartyWorld w;
  auto host = w.add_user("host");
  auto party = w.create_party(host);
  for (int i = 0; i < 20; ++i) {
    auto s = w.connect(host, party.id);
    double pos = 1.0 + i;
    w.rooms.control(s.room, host.id, {.action = wp::parties::ControlAction::seek, .position = pos});
    w.rooms.control(s.room, host.id, {.action = wp::parties::ControlAction::pause, .position = pos + 1.5});
    w.disconnect(host, s);
    auto again = w.connect(host, party.id);
    auto state = again.conn->messages("party_state").at(0).at("playback").as_object();
    ASSERT_DOUBLE_EQ(state.at("position").to_number<double>(), pos + 1.5) << "try " << i;
    w.disconnect(host, again);
  }
  // And the database ends up with the newest.
  ASSERT_TRUE(wp::testkit::eventually([&] {
    return wp::parties::protocol::parse_playback(w.store.party(party.id)->playback).position == 20.0 + 1.5;
  }));
}

// A room's id is fixed: reloading the party (another node changed it) while
// other threads use the room never touches it.
TEST(PartiesConcurrency, RoomIdIsImmutableAndReloadsAreSafe) {
  static_assert(std::is_const_v<decltype(wp::parties::Room::id)>);
  PartyWorld w;
  auto host = w.add_user("host");
  auto party = w.create_party(host);
  auto s = w.connect(host, party.id);
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      w.rooms.typing(s.room, host, true);
      (void)w.rooms.playback_message(s.room);
    }
  });
  for (int i = 0; i < 20; ++i) {
    wp::parties::PatchInput in;
    in.title = "title " + std::to_string(i);
    w.service.update(host, party.id, in);
  }
  stop = true;
  reader.join();
  EXPECT_EQ(s.room->id, party.id);
}

}  // namespace
