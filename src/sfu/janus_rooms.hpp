#pragma once
// wp::SfuRooms over Janus: AudioBridge rooms for voice, VideoRoom rooms for
// screen share, each member admitted by a token that Janus checks twice (its
// token store, for the session and the plugin, and the room's "allowed"
// list, for the join). Nothing is kept here: secrets and participant ids are
// derived (sfu/janus_passes.hpp) and tokens are read back from Janus, so any
// node may act on any room. docs/architecture.md, "The Janus SFU".
#include <memory>
#include <string>
#include <vector>

#include "core/sfu.hpp"
#include "sfu/janus_client.hpp"

namespace wp::sfu {

class JanusRooms : public SfuRooms {
 public:
  // `key`: derives room secrets and participant ids; the same on every node
  // (setup uses janus_admin_secret).
  JanusRooms(std::unique_ptr<JanusClient> client, std::string key);

  SfuRoom create_room(const std::string& party_id, SfuKind kind) override;
  SfuPass allow(const SfuRoom& room, const std::string& user_id) override;
  void kick(const SfuRoom& room, const std::string& user_id) override;
  void destroy(const SfuRoom& room) override;
  bool exists(const SfuRoom& room) override;
  void set_muted(const SfuRoom& room, const std::string& user_id, bool muted) override;
  std::vector<std::string> hold_muted(const SfuRoom& room, const std::vector<std::string>& user_ids) override;
  std::uint64_t participant_of(const SfuRoom& room, const std::string& user_id) const override;

  // Keeps the server's Janus session alive; a worker thread of the server
  // calls it every 20 s (Janus forgets a session after 60 s without
  // requests). True when a new session was made since the previous
  // keepalive (or this is the first): Janus may have restarted and lost
  // every room, so the caller checks the rooms of its calls.
  bool keepalive();

 private:
  std::vector<std::string> tokens_of(const std::string& prefix);
  void revoke(const SfuRoom& room, const std::vector<std::string>& tokens);
  void put_out(const SfuRoom& room, std::uint64_t participant);
  void put_out_strangers(const SfuRoom& room);
  // false: the participant is not in the room (or the room is gone).
  bool mute(const SfuRoom& room, std::uint64_t participant, bool muted);

  std::unique_ptr<JanusClient> client_;
  std::string key_;
  std::uint64_t sessions_seen_ = 0;  // by keepalive, which one thread calls
};

}  // namespace wp::sfu
