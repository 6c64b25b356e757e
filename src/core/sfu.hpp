#pragma once
// Rooms on a selective forwarding unit (SFU), as the calls see them: a call
// that grows beyond the mesh moves its media to an SFU room. Each member is
// given a pass for that room only; a kicked member loses it and is put out.
// src/sfu/ implements it over Janus (AudioBridge for voice, VideoRoom for
// screen share). Every method does network I/O and may block for seconds:
// call it on the blocking pool. Failures of the SFU are wp::Error
// `unavailable` (503).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_names.hpp"

namespace wp {

enum class SfuKind { audio, video };  // audio: voice chat; video: screen share

struct SfuRoom {
  SfuKind kind = SfuKind::audio;
  std::uint64_t id = 0;  // below 2^53, so JavaScript reads it exactly
};

// What one member needs to join: Janus checks the token (session, plugin and
// room), and the member joins with this participant id, by which kick finds
// them; a participant with any other id is put out by the next kick.
struct SfuPass {
  std::string token;
  std::uint64_t participant_id = 0;
};

// A room as one string, "audio:<n>" or "video:<n>", for callers that keep
// it as text (a column, a message); nullopt for anything else.
std::string room_ref(const SfuRoom& room);
std::optional<SfuRoom> parse_room_ref(std::string_view ref);

class SfuRooms {
 public:
  virtual ~SfuRooms() = default;
  // A new room for one call of the party.
  virtual SfuRoom create_room(const std::string& party_id, SfuKind kind) = 0;
  // A new pass for a member (each call makes another random token; kick and
  // destroy revoke them all). wp::Error not_found when the room is gone.
  virtual SfuPass allow(const SfuRoom& room, const std::string& user_id) = 0;
  // Revokes the member's passes and puts them out of the room. Kicking
  // someone not there, or from a room that is gone, does nothing.
  virtual void kick(const SfuRoom& room, const std::string& user_id) = 0;
  // Puts everyone out, removes the room and revokes its passes. Idempotent.
  virtual void destroy(const SfuRoom& room) = 0;
  // Whether the SFU still has the room (Janus forgets every room when it restarts).
  virtual bool exists(const SfuRoom& room) = 0;

  // Server mute, audio rooms only. Silences the member in the room's mix, or
  // lets them be heard again. A member not in the room (not joined yet, or
  // gone) is passed over: hold_muted catches them once they are in.
  virtual void set_muted(const SfuRoom& room, const std::string& user_id, bool muted) = 0;
  // Mutes whoever of these members is in the room unmuted: the SFU lets a
  // participant unmute themselves (Janus: "configure" muted false) and a
  // member joins a renewed room unmuted, so a server mute holds only as long
  // as this is called again and again. Returns the members muted again.
  virtual std::vector<std::string> hold_muted(const SfuRoom& room, const std::vector<std::string>& user_ids) = 0;
  // The id the member joins the room with (derived, no I/O): clients map the
  // SFU's events about participants (who is talking) to members by it.
  virtual std::uint64_t participant_of(const SfuRoom& room, const std::string& user_id) const = 0;
};

}  // namespace wp

WP_ENUM_NAMES(wp::SfuKind, {wp::SfuKind::audio, "audio"}, {wp::SfuKind::video, "video"});
