#pragma once
// This node's copy of one live party. The playback follows the shared copy
// (LiveState) through the playback_state messages every node receives.
// `id` never changes; everything else is read and written under `mu`, which
// is never held across SQL, Redis or a callback. I/O threads do not take
// `mu` at all: they read the view, published under `mu` after each change.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "modules/parties/model.hpp"
#include "modules/parties/seen_chat.hpp"
#include "realtime/connection.hpp"

namespace wp::parties {

struct Room {
  explicit Room(std::string party_id) : id(std::move(party_id)) {}
  const std::string id;

  std::mutex mu;
  // Serializes this node's playback changes to the room, held across the
  // compare-and-set (Redis): local changes then never race each other, only
  // other nodes'. Taken on pool threads only, never with `mu` held.
  std::mutex change_mu;
  PartyRow party;
  Settings settings;
  Playback playback;
  struct Member {
    std::string username;
    Role role = Role::participant;
    bool muted = false;
  };
  std::map<std::string, Member> members;  // active participants, online or not
  // Blocks (the social graph) of the users this node has read them for (its
  // members online here, and whoever a message here was about): user -> the
  // users blocked with them either way. Only users with blocks have an entry.
  // A message about a user skips the sockets of their blocked users.
  std::set<std::string> blocks_read;
  std::map<std::string, std::vector<std::string>> blocked;
  // Chat this node's members were sent since the room was loaded here (the replay after Redis is back).
  SeenChat seen_chat;
  // The participants party_state lists, as last read in a big room (more members than it lists):
  // joiners reuse the read for a short while (LiveRooms::reused_roster), until a message
  // about membership passes (LiveRooms::on_room_message). Small rooms read theirs for each joiner.
  struct Roster {
    std::vector<ParticipantRow> rows;
    std::chrono::steady_clock::time_point read_at;
  };
  std::optional<Roster> roster;
  std::uint64_t roster_generation = 0;  // moves on whenever `roster` is dropped
  // Call with `mu` held, after a change to who is in the party or to their roles.
  void drop_roster() {
    roster.reset();
    ++roster_generation;
  }

  // What I/O threads read: the playback_state message and the blocks. Not the members: copying
  // them on every join made filling a room O(N²) (bench/NOTES.md, "Joining big rooms").
  struct View {
    realtime::Message playback_state;
    std::shared_ptr<const std::map<std::string, std::vector<std::string>>> blocked;  // as `blocked`
  };
  // Call with `mu` held, after changing playback, members or blocks.
  void publish();
  View view() const;
  // Set when another node changed the party; the reload is retried on every tick until done.
  std::atomic<bool> stale{false};
  // A big room (more members than party_state lists) does not announce joins and leaves one by
  // one: N members filling it would cost N² deliveries. It sends its counts instead, at most once
  // a second (LiveRooms::count_change).
  std::atomic<bool> counts_changed{false};
  std::atomic<std::int64_t> counts_sent_ms{0};

 private:
  mutable std::mutex view_mu_;  // only guards view_; held for a pointer copy
  View view_;
};

}  // namespace wp::parties
