#pragma once
// The live side of parties on this node: the cache of rooms with members
// online, the playback (compare-and-set on the shared copy, durable copy by
// an ordered writer), presence, the buffering wait, the tick and the resync
// after Redis comes back. The party rules (service.hpp) decide who may do
// what; this keeps every node's copy of a live party right.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/config.hpp"
#include "core/domain_events.hpp"
#include "core/principal.hpp"
#include "modules/parties/live_state.hpp"
#include "modules/parties/playback_writer.hpp"
#include "modules/parties/room.hpp"
#include "modules/parties/store.hpp"
#include "realtime/hub.hpp"

namespace wp::parties {

// Records a member's watch position (the videos module's watch time), wired in app.cpp.
using WatchRecorder = std::function<void(const std::string& user_id, const std::string& video_id,
                                         const std::string& party_id, double position, bool buffering_event)>;

class LiveRooms {
 public:
  LiveRooms(Store& store, realtime::Hub& hub, LiveState& live, BlockingPool& pool, const Config& config,
            WatchRecorder record_watch);
  // Unregisters the hub tap and signal handler. Whatever delivers backplane
  // messages (the Redis node's thread) must be stopped before.
  ~LiveRooms();
  LiveRooms(const LiveRooms&) = delete;
  LiveRooms& operator=(const LiveRooms&) = delete;

  std::shared_ptr<Room> find(const std::string& id);
  std::shared_ptr<Room> load(const std::string& id);  // throws not found
  // The party was deleted: forget its room here.
  void drop(const std::string& id);
  // Reloads the party into its room here (if live) and tells other nodes to reload theirs.
  void reload_everywhere(const std::string& id);
  void reload(const std::string& id);
  // Tells other nodes to reload the party (this node changed its room itself).
  void changed_elsewhere(const std::string& id);
  // Membership changes made by the rules, applied to a loaded room.
  void set_member(const std::string& id, const std::string& user_id, const Room::Member& m);
  void update_member(const std::string& id, const std::string& user_id, Role role, bool muted);
  void remove_member(const std::string& id, const std::string& user_id, const std::optional<std::string>& new_host);
  void set_status(const std::string& id, PartyStatus status);
  // A member as the room knows it, or from the database when they joined
  // through another node since the room was loaded; refuses non-members.
  Room::Member member(const std::shared_ptr<Room>& room, const std::string& user_id);
  // Writes the durable playback saves still pending (a refused or failed one
  // waits for the next tick), on this thread: at shutdown, after the pool stopped.
  void flush_saves() { writer_.flush(); }
  // The newest playback of a party: the room's, else the database's, a pending save's or the shared copy.
  Playback playback(const std::string& id);
  LiveState::Online online_of(const std::string& id, const std::vector<std::string>& users) {
    return live_.online_of(id, users);
  }
  void record_watch(const std::optional<std::string>& video_id, const std::string& party_id,
                    const std::string& user_id, double position, bool buffering_event);

  // A socket joins the room and receives party_state first (on the pool).
  struct Attach {
    const Principal& user;
    std::shared_ptr<realtime::Connection> conn;
    std::optional<std::string> last_message_id;
  };
  std::shared_ptr<Room> attach(const std::string& id, const Attach& a);
  // Its goodbye (on the pool).
  void detach(const std::shared_ptr<Room>& room, const std::string& user_id,
              const std::shared_ptr<realtime::Connection>& conn);

  // Change the playback by compare-and-set on the shared copy: `change` sees
  // the room (locked) and a copy of the playback, and returns false to leave
  // it. Retried when another node changed it first. Blocks (Redis): on the pool.
  using PlaybackChange = std::function<bool(const Room&, Playback&)>;
  // end_wait: the change ends the buffering wait (the waiters are forgotten in the same step).
  bool update_playback(const std::shared_ptr<Room>& room, const std::string& by, const PlaybackChange& change,
                       bool end_wait = false);
  void control(const std::shared_ptr<Room>& room, const std::string& user_id, const ControlInput& in);
  void buffering(const std::shared_ptr<Room>& room, const std::string& user_id, bool is_buffering);
  // A message about a member (presence, role, chat, reaction): to every member
  // on every node but the users blocked with them either way (docs/realtime.md,
  // "Blocks"). Without blocks it is one broadcast. May read SQL: on the pool.
  void send_about(const std::string& party_id, const std::string& user_id, const realtime::Message& msg);
  // The pair's block changed (`blocked`: blocked either way now): every node's rooms learn it.
  void blocks_changed(const std::string& a, const std::string& b, bool blocked);
  // Called when a member is gone from a party (left, kicked, banned: `removed`;
  // or their last socket on every node closed), on a pool or ticker thread,
  // maybe more than once for one departure: the voice chat lets them go.
  using MemberGone = std::function<void(const std::string& party_id, const std::string& user_id, bool removed)>;
  void on_member_gone(MemberGone fn) { member_gone_ = std::move(fn); }
  // Told of a user's first socket in a party on this node and of their last one closing, and of playback controls.
  void set_events(const DomainEvents& events) { events_ = &events; }

  // These two run on I/O threads: they never block (no SQL, Redis or room lock).
  // From a member's socket (attached as a member; closed when they stop being one).
  void typing(const std::shared_ptr<Room>& room, const Principal& user, bool is_typing);
  realtime::Message playback_message(const std::shared_ptr<Room>& room);

  // Every 100 ms (blocks): retries deferred saves and reloads, releases
  // buffering waits that timed out, renews this node's presence and removes
  // members of nodes that died.
  void tick();
  // After the shared state came back (Redis reconnected): compares and
  // re-sends every live room's playback (blocks).
  void resync();
  // Runs resync() on the pool at once (from a Redis callback: no blocking
  // there); when the pool refuses or it fails, the next tick runs it.
  void request_resync();

 private:
  using PendingSave = std::optional<std::pair<long long, std::string>>;
  Playback newest_playback(const PartyRow& party, const PendingSave& pending);
  std::vector<std::shared_ptr<Room>> rooms();
  // Takes pb if newer, or as new when it is this node's own change (room locked).
  void adopt(Room& room, const Playback& pb, bool own = false);
  // The hub's tap (the backplane's thread): false drops a chat message a replay sent already.
  bool on_room_message(const std::string& party_id, const std::string& text);
  // After a resync: the room's stored chat this node's members were never sent.
  void replay_missed_chat(const std::shared_ptr<Room>& room);
  void on_party_changed(const std::string& payload);
  void refresh_stale();
  void end_waits_that_timed_out();
  void remove_members_of_dead_nodes();
  void send_counts_of_big_rooms();
  void count_change(Room& room);
  void send_counts(Room& room);
  void resume_after_wait(const std::shared_ptr<Room>& room);
  void user_gone(const std::shared_ptr<Room>& room, const std::string& user_id);
  long long member_count(Room& room);
  void send_party_state(const std::shared_ptr<Room>& room, const Attach& a, bool& first, Role& role);
  // What party_state lists (one more row than that when the room is bigger): in a big room the
  // read of less than kRosterReuse ago when no membership message passed since, else nothing
  // (and `generation` is set for keep_roster).
  std::optional<std::vector<ParticipantRow>> reused_roster(Room& room, std::uint64_t& generation);
  // A fresh read of it: kept for the next joiners when the room is big and no membership
  // message passed since `generation`.
  void keep_roster(Room& room, const std::vector<ParticipantRow>& rows, std::uint64_t generation);
  static constexpr auto kRosterReuse = std::chrono::milliseconds(500);
  // The users blocked with user_id, from the room's copy, else read (SQL) and kept there.
  std::vector<std::string> blocked_with(const std::shared_ptr<Room>& room, const std::string& user_id);
  // Keeps what was read at `version` unless a block changed since (room locked); false then.
  bool remember_blocks(Room& room, const std::string& user_id, const std::vector<std::string>& ids,
                       std::uint64_t version);
  void send_excluding(const std::string& party_id, const std::vector<std::string>& excluded,
                      const realtime::Message& msg);
  void on_blocks_changed(const std::string& payload);
  void tell_member_gone(const std::string& party_id, const std::string& user_id, bool removed);
  MemberGone member_gone_;
  const DomainEvents* events_ = nullptr;
  // The signal's payload: "<a> <b> <1|0>", the pair blocked either way now (1) or not at all (0).
  static constexpr const char* kBlocksChanged = "blocks_changed";

  Store& store_;
  realtime::Hub& hub_;
  LiveState& live_;
  BlockingPool& pool_;
  const Config& config_;
  WatchRecorder record_watch_;
  PlaybackWriter writer_;
  const std::string node_id_;
  std::atomic<bool> resync_requested_{false};
  std::atomic<std::int64_t> last_presence_ms_{0};
  // Grows with every block change this node hears of: a read of blocks that
  // raced one is not kept (it may predate the change).
  std::atomic<std::uint64_t> blocks_version_{0};  // the ticker reads it, a resync on the pool resets it
  // Lock order: the live state's playback lock, then a room's mu, then
  // rooms_mu_ (a leaf: nothing else is taken under it but the hub's own).
  std::mutex rooms_mu_;
  std::map<std::string, std::shared_ptr<Room>> rooms_;
};

}  // namespace wp::parties
