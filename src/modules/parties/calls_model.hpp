#pragma once
// Voice chat and screen share in a party (issue #17): the rows of their
// tables, the vocabulary, what a change of the call comes to, and the seam to
// an SFU. The rules are calls_service.hpp's.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::parties {

// What a screen share shows (the browser's displaySurface).
enum class ShareKind { screen, window, tab };
// Who may open the voice chat (the party setting `voice_chat`): any member,
// or only the host and moderators (then members join once it is open).
enum class VoiceOpener { members, host };
// How the media flows: every member to every member, or through the SFU.
enum class CallMode { mesh, sfu };
// Why a member's row ended.
enum class LeftReason { left, disconnected, removed };
// The signaling messages a member addresses to another member.
enum class SignalType { rtc_offer, rtc_answer, rtc_ice };

struct VoiceChatRow {
  std::string id, party_id;
  std::int64_t version = 0;
  int member_count = 0;
  std::optional<std::string> opened_by;
  std::optional<std::int64_t> opened_at, closed_at;
  std::optional<std::string> sfu_audio_room, sfu_video_room;
  bool open() const { return opened_at.has_value(); }
  CallMode mode() const { return sfu_audio_room ? CallMode::sfu : CallMode::mesh; }
};

struct CallMemberRow {
  std::string user_id, username;
  std::int64_t joined_at = 0;
  bool muted = false, deafened = false, server_muted = false;
  // In a call through the SFU: the id they join its voice room with (not a
  // column; the service fills it in), by which clients tell who is talking.
  std::optional<std::uint64_t> sfu_participant_id;
};

struct ScreenShareRow {
  std::string id, party_id, user_id, username;
  ShareKind kind = ShareKind::screen;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> ended_at;
  std::optional<std::string> ended_by;
};

// A call and who is in it, read together.
struct CallSnapshot {
  VoiceChatRow chat;
  std::vector<CallMemberRow> members;  // by joined_at
  std::vector<ScreenShareRow> shares;  // live ones, by started_at
};

enum class JoinCallOutcome { joined, already_in, full, not_open };
struct JoinCall {
  JoinCallOutcome outcome = JoinCallOutcome::joined;
  int member_count = 0;  // after the join
};

struct LeaveCall {
  bool left = false;      // false: they were not in the call
  int member_count = 0;   // after
  std::vector<std::string> ended_shares;
  // When the call emptied and ran through the SFU: the rooms to destroy.
  std::optional<std::string> sfu_audio_room, sfu_video_room;
};

struct CloseCall {
  std::vector<std::string> members;  // who was in it
  bool shares_ended = false;
  std::optional<std::string> sfu_audio_room, sfu_video_room;
};

enum class StartShareOutcome { started, not_in_call, already_sharing, limit };

// The SFU rooms of a call beyond the mesh (Janus: AudioBridge for voice,
// VideoRoom for shares): functions app.cpp sets over the Janus client
// (wp::SfuRooms of core/sfu.hpp: create_room, allow, kick, destroy), so this
// module includes no SFU code. Unset (no janus_url), a join beyond
// rtc_mesh_max is refused. Each may block (HTTP): the call service runs them
// on the pool and never under a lock.
enum class SfuRoomKind { audio, video };
// One member's pass into one room: Janus checks the token, and the member
// joins with this participant id (by which a kick finds them).
struct SfuTicket {
  std::string token;
  std::uint64_t participant_id = 0;
  std::uint64_t room = 0;  // the room's number, as the member names it to Janus
};
struct SfuHooks {
  std::function<std::string(const std::string& party_id, SfuRoomKind kind)> create_room;  // -> room id
  std::function<SfuTicket(const std::string& room, const std::string& user_id)> allow;
  std::function<void(const std::string& room, const std::string& user_id)> kick;
  std::function<void(const std::string& room)> destroy;
  // Whether Janus still has the room (it forgets them all when it restarts).
  std::function<bool(const std::string& room)> exists;
  // Server mute in the voice room's mix (the member need not be in it yet).
  std::function<void(const std::string& room, const std::string& user_id, bool muted)> mute;
  // Mutes those of the users who are in the voice room unmuted; -> who was muted again.
  std::function<std::vector<std::string>(const std::string& room, const std::vector<std::string>& user_ids)> hold_muted;
  // The member's participant id in the room (derived, no I/O).
  std::function<std::uint64_t(const std::string& room, const std::string& user_id)> participant_of;
  bool configured() const {
    return create_room && allow && kick && destroy && exists && mute && hold_muted && participant_of;
  }
};

// A member's way into the SFU rooms: the room ids and their tokens, and
// where the browser reaches Janus (janus_public_url).
struct SfuAccess {
  std::string audio_room, video_room;
  SfuTicket audio, video;
  std::string url;
};

// A call that runs through the SFU, as the recovery after a Janus restart reads it.
struct SfuCallRow {
  std::string party_id, audio_room, video_room;
};

// A server-muted member of a call through the SFU, as the mute keeper reads it.
struct SfuMutedRow {
  std::string party_id, audio_room, user_id;
};

// Why a whole call (or one member's part in it) ended without them leaving:
// the party ended, the SFU lost the rooms and could not make new ones, or a
// block between two members of a call through the SFU (which mixes everyone).
enum class CallEndReason { party_ended, sfu_lost, blocked };

}  // namespace wp::parties

WP_ENUM_NAMES(wp::parties::ShareKind, {wp::parties::ShareKind::screen, "screen"},
              {wp::parties::ShareKind::window, "window"}, {wp::parties::ShareKind::tab, "tab"});
WP_ENUM_NAMES(wp::parties::VoiceOpener, {wp::parties::VoiceOpener::members, "members"},
              {wp::parties::VoiceOpener::host, "host"});
WP_ENUM_NAMES(wp::parties::CallMode, {wp::parties::CallMode::mesh, "mesh"}, {wp::parties::CallMode::sfu, "sfu"});
WP_ENUM_NAMES(wp::parties::LeftReason, {wp::parties::LeftReason::left, "left"},
              {wp::parties::LeftReason::disconnected, "disconnected"}, {wp::parties::LeftReason::removed, "removed"});
WP_ENUM_NAMES(wp::parties::CallEndReason, {wp::parties::CallEndReason::party_ended, "party_ended"},
              {wp::parties::CallEndReason::sfu_lost, "sfu_lost"}, {wp::parties::CallEndReason::blocked, "blocked"});
WP_ENUM_NAMES(wp::parties::SignalType, {wp::parties::SignalType::rtc_offer, "rtc_offer"},
              {wp::parties::SignalType::rtc_answer, "rtc_answer"}, {wp::parties::SignalType::rtc_ice, "rtc_ice"});
