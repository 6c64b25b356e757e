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

 private:
  void let_go(const std::string& party_id, const std::string& user_id, LeftReason reason);
  void announce(const std::string& party_id, bool shares_changed);
  CallView view_of(const std::string& party_id, const std::string& user_id, VoiceOpener opener);
  // The join took the call beyond the mesh: SFU rooms (made once) and this member's tokens.
  SfuAccess enter_sfu(const std::string& party_id, const std::string& user_id);
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
