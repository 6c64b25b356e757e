#pragma once
// The voice chat and screen share rules of a party (issue #17). The server
// relays the WebRTC signaling and is the authority on who is in the call;
// media never passes through it. One call per party, opened by any member or
// only by the host and moderators (the party setting `voice_chat`); members
// join and leave, mute and deafen themselves; the host and moderators
// server-mute. At most `max_sharers` share a screen at once; the host and
// moderators may stop a share. Up to `mesh_max` members the media is a mesh;
// beyond it the SFU (when configured) carries it, else the join is refused.
// Every change is told to the party on every node (voice_state,
// screen_share_state); signaling goes only to the member it is addressed to.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/plans.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "core/relations.hpp"
#include "modules/parties/calls_ice.hpp"
#include "modules/parties/calls_model.hpp"
#include "modules/parties/calls_store.hpp"
#include "modules/parties/service.hpp"
#include "realtime/hub.hpp"

namespace wp::parties {

struct CallSettings {
  IceSettings ice;
  int mesh_max = 6;
  int max_sharers = 1;
  int signal_limit = 200;  // signaling messages per member per window
  std::int64_t signal_window_ms = 10'000;
  std::size_t signal_max_bytes = 16 * 1024;  // of one message's sdp or candidate
  std::string sfu_public_url;  // where browsers reach Janus (janus_public_url), sent with each pass
};

// The call as one member sees it.
struct CallView {
  CallSnapshot call;
  VoiceOpener opener = VoiceOpener::members;
  int mesh_max = 0, max_sharers = 0;
  bool sfu_available = false;
  std::optional<CallMemberRow> me;
};

struct CallJoined {
  CallView view;
  std::string ice_servers_json;
  std::optional<SfuAccess> sfu;
};

class CallsService {
 public:
  CallsService(CallStore& store, PartiesService& parties, realtime::Hub& hub, RateLimiter& limiter,
               CallSettings settings)
      : store_(store), parties_(parties), hub_(hub), limiter_(limiter), settings_(std::move(settings)) {}
  // The SFU beyond the mesh (app.cpp, when janus_url is set).
  void set_sfu(SfuHooks sfu) { sfu_ = std::move(sfu); }
  // The social graph: no media path between a blocked pair (app.cpp).
  void set_relations(Relations& relations) { relations_ = &relations; }
  // Billing (#18): a call beyond the mesh needs the host's plan to allow it (voice_above_mesh).
  void set_plans(Plans& plans) { plans_ = &plans; }

  CallView state(const Principal& user, const std::string& party_id);
  // Needs a party socket open (the signaling runs over it).
  CallJoined join(const Principal& user, const std::string& party_id);
  void leave(const Principal& user, const std::string& party_id);
  CallMemberRow set_self(const Principal& user, const std::string& party_id, std::optional<bool> muted,
                         std::optional<bool> deafened);
  CallMemberRow server_mute(const Principal& user, const std::string& party_id, const std::string& target, bool muted);
  // Call members only.
  std::string ice_servers(const Principal& user, const std::string& party_id);

  ScreenShareRow start_share(const Principal& user, const std::string& party_id, ShareKind kind);
  // The sharer, the host or a moderator.
  ScreenShareRow stop_share(const Principal& user, const std::string& party_id, const std::string& share_id);
  std::vector<ScreenShareRow> shares(const Principal& user, const std::string& party_id, int limit, int offset,
                                     long long& count);

  // rtc_offer, rtc_answer, rtc_ice from a party socket: both must be in the
  // call; limited in size and rate; delivered to the addressee's sockets only.
  void relay(const Principal& user, const std::string& party_id, const std::string& type,
             const boost::json::object& msg);
  // The member left the party, was removed, or their last socket closed.
  void member_gone(const std::string& party_id, const std::string& user_id, bool removed);
  // The party ended: everyone out of the call, its SFU rooms destroyed (call_ended to the party).
  void party_ended(const std::string& party_id);
  // A block between two members of a call through the SFU (which mixes
  // everyone for everyone): the later of the two to join is taken out
  // (call_ended `blocked` to them), as their join would now be refused.
  void blocks_changed(const std::string& a, const std::string& b, bool blocked);
  // After the SFU was restarted (the server's Janus session had to be made
  // again): every call whose rooms are gone gets new ones and each member
  // new passes (call_sfu), or, when none can be made, ends (call_ended
  // `sfu_lost`). Blocks on the SFU: run it on the pool or a worker thread.
  void recover_sfu_rooms();
  // Mutes again, in the SFU's mix, every server-muted member of a call
  // through the SFU who got out of it: the SFU lets a member unmute
  // themselves, and a member joins new rooms (after a restart) unmuted. The
  // SFU's worker calls it every few seconds (janus_mute_check_s). Blocks on
  // the SFU; throws when it is unavailable.
  void hold_sfu_mutes();

 private:
  void let_go(const std::string& party_id, const std::string& user_id, LeftReason reason);
  void announce(const std::string& party_id, bool shares_changed);
  CallView view_of(const std::string& party_id, const std::string& user_id, VoiceOpener opener);
  // The join took the call beyond the mesh: SFU rooms (made once) and this member's tokens.
  SfuAccess enter_sfu(const std::string& party_id, const std::string& user_id);
  SfuAccess access_of(const VoiceChatRow& chat, const std::string& user_id);
  // Refused when the SFU would join the user with someone blocked either way.
  void refuse_blocked_in_sfu(const CallSnapshot& call, const std::string& user_id);
  // At the move to the SFU: of every blocked pair already in the call, the later is taken out.
  void part_blocked_pairs(const std::string& party_id, const std::string& joining);
  // New rooms for a call whose rooms Janus lost; false when the call ended instead (or another node did it).
  bool renew_sfu_rooms(const SfuCallRow& call);
  void end_call(const std::string& party_id, CallEndReason reason);
  // Destroys rooms without failing the caller (Janus may have lost them already).
  void drop_sfu_rooms(const std::string& party_id, const std::optional<std::string>& audio,
                      const std::optional<std::string>& video);
  // A server mute (or its end) reaches the SFU's mix when the call runs through it.
  void mute_in_sfu(const std::string& party_id, const std::string& user_id, bool muted);
  void hold_sfu_mutes_of(const std::string& party_id, const std::string& room, const std::vector<std::string>& users);
  // Each member's participant id in the call's SFU voice room, for the clients.
  void name_sfu_participants(CallSnapshot& call);
  CallMemberRow require_member(const std::string& party_id, const std::string& user_id);

  CallStore& store_;
  PartiesService& parties_;
  realtime::Hub& hub_;
  RateLimiter& limiter_;
  const CallSettings settings_;
  SfuHooks sfu_;
  Relations* relations_ = nullptr;
  Plans* plans_ = nullptr;
};

}  // namespace wp::parties
