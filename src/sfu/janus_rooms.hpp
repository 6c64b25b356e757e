#pragma once
// wp::SfuRooms over Janus: AudioBridge rooms for voice, VideoRoom rooms for
// screen share, each member admitted by a token that Janus checks twice (its
// token store, for the session and the plugin, and the room's "allowed"
// list, for the join). Nothing is kept here: secrets and participant ids are
// derived (sfu/janus_passes.hpp) and tokens are read back from Janus, so any
// node may act on any room. docs/architecture.md, "The Janus SFU".
#include <memory>
#include <string>

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

  // Keeps the server's Janus session alive; the ticker calls it (on the pool)
  // every 20 s or so. Without it the session is made again on the next use.
  void keepalive();

 private:
  std::vector<std::string> tokens_of(const std::string& prefix);
  void revoke(const SfuRoom& room, const std::vector<std::string>& tokens);
  void put_out(const SfuRoom& room, std::uint64_t participant);
  void put_out_strangers(const SfuRoom& room);

  std::unique_ptr<JanusClient> client_;
  std::string key_;
};

}  // namespace wp::sfu
