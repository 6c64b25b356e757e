// LiveRooms: blocks (the social graph) in a live party. A message about a
// member skips the sockets of the users blocked with them, on every node: the
// sending node names those users (Hub::send_to_all_but), so each node needs
// the blocks of the members it sends about, kept in the room once read. The
// common case, nobody in the room with a block, stays one broadcast.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "modules/parties/live_rooms.hpp"

namespace wp::parties {

namespace {

constexpr int kReadAttempts = 3;

// The user's entry follows the pair's new state; false when it did not change.
bool patch(Room& room, const std::string& user_id, const std::string& other, bool blocked) {
  if (!room.blocks_read.count(user_id)) return false;  // read when next needed
  auto& ids = room.blocked[user_id];
  auto it = std::find(ids.begin(), ids.end(), other);
  bool changed = blocked ? it == ids.end() : it != ids.end();
  if (blocked && it == ids.end()) ids.push_back(other);
  if (!blocked && it != ids.end()) ids.erase(it);
  if (ids.empty()) room.blocked.erase(user_id);
  return changed;
}

}  // namespace

void LiveRooms::send_excluding(const std::string& party_id, const std::vector<std::string>& excluded,
                               const realtime::Message& msg) {
  if (excluded.empty())
    hub_.broadcast(party_id, msg);
  else
    hub_.send_to_all_but(party_id, excluded, msg);
}

bool LiveRooms::remember_blocks(Room& room, const std::string& user_id, const std::vector<std::string>& ids,
                                std::uint64_t version) {
  if (blocks_version_ != version) return false;
  room.blocks_read.insert(user_id);
  if (!ids.empty()) {
    room.blocked[user_id] = ids;
    room.publish();
  }
  return true;
}

std::vector<std::string> LiveRooms::blocked_with(const std::shared_ptr<Room>& room, const std::string& user_id) {
  {
    std::lock_guard lock(room->mu);
    if (room->blocks_read.count(user_id)) {
      auto it = room->blocked.find(user_id);
      return it == room->blocked.end() ? std::vector<std::string>{} : it->second;
    }
  }
  std::vector<std::string> ids;
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    auto version = blocks_version_.load();
    ids = store_.blocked_with(user_id);
    std::lock_guard lock(room->mu);
    if (remember_blocks(*room, user_id, ids, version)) break;
  }
  return ids;
}

void LiveRooms::send_about(const std::string& party_id, const std::string& user_id, const realtime::Message& msg) {
  auto room = find(party_id);
  send_excluding(party_id, room ? blocked_with(room, user_id) : store_.blocked_with(user_id), msg);
}

void LiveRooms::blocks_changed(const std::string& a, const std::string& b, bool blocked) {
  auto payload = a + " " + b + " " + (blocked ? "1" : "0");
  // Here at once, so this node's next message already knows; the other nodes
  // (and this one again: patching is idempotent) through the backplane.
  on_blocks_changed(payload);
  hub_.signal(kBlocksChanged, payload);
}

// On every node (the backplane's thread): no SQL, only the rooms' copies.
void LiveRooms::on_blocks_changed(const std::string& payload) {
  auto first = payload.find(' '), second = payload.rfind(' ');
  if (first == std::string::npos || second == first) return;
  auto a = payload.substr(0, first), b = payload.substr(first + 1, second - first - 1);
  bool blocked = payload.substr(second + 1) == "1";
  ++blocks_version_;
  for (auto& room : rooms()) {
    std::lock_guard lock(room->mu);
    bool changed = patch(*room, a, b, blocked);
    changed = patch(*room, b, a, blocked) || changed;
    if (changed) room->publish();
  }
}

}  // namespace wp::parties
