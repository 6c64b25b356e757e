// CallsService: who is in a party's voice chat, screen shares, and the
// signaling relay between members.
#include "modules/parties/calls_service.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/calls_protocol.hpp"
#include "modules/parties/dto.hpp"

namespace wp::parties {

namespace {

[[noreturn]] void not_in_call() { refuse(ErrorCode::forbidden, "not_in_call", "You are not in the voice chat."); }

}  // namespace

CallView CallsService::view_of(const std::string& party_id, const std::string& user_id, VoiceOpener opener) {
  CallView v;
  v.call = store_.snapshot(party_id);
  name_sfu_participants(v.call);
  v.opener = opener;
  v.mesh_max = settings_.mesh_max;
  v.max_sharers = settings_.max_sharers;
  v.sfu_available = sfu_.configured();
  for (auto& m : v.call.members)
    if (m.user_id == user_id) v.me = m;
  return v;
}

CallView CallsService::state(const Principal& user, const std::string& party_id) {
  auto party = parties_.get(user, party_id);
  parties_.participation(user, party_id);
  return view_of(party_id, user.id, parse_settings(party.settings).voice_chat);
}

CallJoined CallsService::join(const Principal& user, const std::string& party_id) {
  auto party = parties_.get(user, party_id);
  auto me = parties_.participation(user, party_id);
  if (party.status == PartyStatus::ended) refuse(ErrorCode::conflict, "party_ended", "The party has ended.");
  if (!parties_.online_of(party_id, {user.id}).among[0])
    refuse(ErrorCode::conflict, "not_connected", "Open the party's socket before joining the voice chat.");
  auto opener = parse_settings(party.settings).voice_chat;
  bool may_open = opener == VoiceOpener::members || is_moderator_role(me.role);
  std::optional<int> limit;
  if (!sfu_.configured()) limit = settings_.mesh_max;
  // Beyond the mesh only when the host's plan allows it: the SFU is what the plan pays for.
  std::optional<PlanLimits> host_limits;
  if (!limit && plans_) {
    host_limits = plans_->limits_of(party.host_id);
    if (!host_limits->voice_above_mesh) limit = settings_.mesh_max;
  }
  if (!limit && relations_) refuse_blocked_in_sfu(store_.snapshot(party_id), user.id);
  auto joined = store_.join(party_id, user.id, limit, may_open, now_ms());
  if (joined.outcome == JoinCallOutcome::full && host_limits && !host_limits->voice_above_mesh)
    throw_plan_limit(*host_limits, "voice_above_mesh",
                     "The host's plan (" + host_limits->plan + ") allows voice chats of up to " +
                         std::to_string(settings_.mesh_max) + " members.");
  if (joined.outcome == JoinCallOutcome::full)
    refuse(ErrorCode::call_full, "call_full",
           "The voice chat is full (" + std::to_string(settings_.mesh_max) + " members) and no SFU is configured.");
  if (joined.outcome == JoinCallOutcome::not_open)
    refuse(ErrorCode::conflict, "call_not_open", "Only the host or a moderator may open the voice chat.");
  CallJoined out;
  bool beyond_mesh = sfu_.configured() && joined.member_count > settings_.mesh_max;
  if (beyond_mesh || (sfu_.configured() && store_.snapshot(party_id).chat.mode() == CallMode::sfu)) {
    try {
      out.sfu = enter_sfu(party_id, user.id);
    } catch (const std::exception& e) {
      spdlog::warn("party {}: the SFU refused {}: {}", party_id, user.id, e.what());
      if (joined.outcome == JoinCallOutcome::joined) let_go(party_id, user.id, LeftReason::left);
      refuse(ErrorCode::unavailable, "unavailable", "The media server is unavailable; try again.");
    }
  }
  if (joined.outcome == JoinCallOutcome::joined) announce(party_id, false);
  out.view = view_of(party_id, user.id, opener);
  out.ice_servers_json = ice_servers_json(settings_.ice, user.id, now_ms() / 1000);
  return out;
}

void CallsService::leave(const Principal& user, const std::string& party_id) {
  parties_.participation(user, party_id);
  let_go(party_id, user.id, LeftReason::left);
}

void CallsService::member_gone(const std::string& party_id, const std::string& user_id, bool removed) {
  let_go(party_id, user_id, removed ? LeftReason::removed : LeftReason::disconnected);
}

void CallsService::let_go(const std::string& party_id, const std::string& user_id, LeftReason reason) {
  auto before = store_.snapshot(party_id).chat;
  auto out = store_.leave(party_id, user_id, reason, now_ms());
  if (!out.left) return;
  if (sfu_.configured() && before.mode() == CallMode::sfu) {
    try {
      if (before.sfu_audio_room) sfu_.kick(*before.sfu_audio_room, user_id);
      if (before.sfu_video_room) sfu_.kick(*before.sfu_video_room, user_id);
    } catch (const std::exception& e) {
      spdlog::warn("party {}: removing {} from the SFU failed: {}", party_id, user_id, e.what());
    }
    drop_sfu_rooms(party_id, out.sfu_audio_room, out.sfu_video_room);
  }
  announce(party_id, !out.ended_shares.empty());
}

CallMemberRow CallsService::require_member(const std::string& party_id, const std::string& user_id) {
  auto m = store_.member(party_id, user_id);
  if (!m) not_in_call();
  return *m;
}

CallMemberRow CallsService::set_self(const Principal& user, const std::string& party_id, std::optional<bool> muted,
                                     std::optional<bool> deafened) {
  parties_.participation(user, party_id);
  auto me = require_member(party_id, user.id);
  if (muted && !*muted && me.server_muted)
    refuse(ErrorCode::forbidden, "server_muted", "The host or a moderator muted you in the voice chat.");
  bool changed = false;
  if (muted && *muted != me.muted) changed |= store_.set_muted(party_id, user.id, *muted);
  if (deafened && *deafened != me.deafened) changed |= store_.set_deafened(party_id, user.id, *deafened);
  if (changed) announce(party_id, false);
  return require_member(party_id, user.id);
}

CallMemberRow CallsService::server_mute(const Principal& user, const std::string& party_id, const std::string& target,
                                        bool muted) {
  auto party = parties_.get(user, party_id);
  auto me = parties_.participation(user, party_id);
  if (!is_moderator_role(me.role)) throw_forbidden("Only the host or a moderator may mute members of the voice chat.");
  if (target == user.id) throw_forbidden("You cannot do that to yourself.");
  if (target == party.host_id) throw_forbidden("The host cannot be muted.");
  auto them = store_.member(party_id, target);
  if (!them) throw_not_found("That member is not in the voice chat.");
  if (them->server_muted != muted && store_.set_server_muted(party_id, target, muted)) {
    mute_in_sfu(party_id, target, muted);
    announce(party_id, false);
  }
  return require_member(party_id, target);
}

std::string CallsService::ice_servers(const Principal& user, const std::string& party_id) {
  parties_.participation(user, party_id);
  require_member(party_id, user.id);
  return ice_servers_json(settings_.ice, user.id, now_ms() / 1000);
}

ScreenShareRow CallsService::start_share(const Principal& user, const std::string& party_id, ShareKind kind) {
  parties_.participation(user, party_id);
  ScreenShareRow s;
  s.id = new_uuid();
  s.party_id = party_id;
  s.user_id = user.id;
  s.username = user.username;
  s.kind = kind;
  s.started_at = now_ms();
  switch (store_.start_share(s, settings_.max_sharers)) {
    case StartShareOutcome::not_in_call:
      not_in_call();
    case StartShareOutcome::already_sharing:
      refuse(ErrorCode::conflict, "already_sharing", "You are sharing already.");
    case StartShareOutcome::limit:
      refuse(ErrorCode::conflict, "share_limit",
             "At most " + std::to_string(settings_.max_sharers) + " members may share at once.");
    case StartShareOutcome::started:
      break;
  }
  announce(party_id, true);
  return s;
}

ScreenShareRow CallsService::stop_share(const Principal& user, const std::string& party_id,
                                        const std::string& share_id) {
  auto me = parties_.participation(user, party_id);
  auto s = store_.share(share_id);
  if (!s || s->party_id != party_id) throw_not_found("Share not found.");
  if (s->user_id != user.id && !is_moderator_role(me.role))
    throw_forbidden("Only the sharer, the host or a moderator may stop a share.");
  if (store_.end_share(party_id, share_id, user.id, now_ms())) announce(party_id, true);
  return *store_.share(share_id);
}

std::vector<ScreenShareRow> CallsService::shares(const Principal& user, const std::string& party_id, int limit,
                                                 int offset, long long& count) {
  parties_.participation(user, party_id);
  count = store_.count_shares_of(party_id);
  return store_.shares_of(party_id, limit, offset);
}

void CallsService::relay(const Principal& user, const std::string& party_id, const std::string& type,
                         const boost::json::object& msg) {
  auto signal = protocol::parse_signal(type, msg, settings_.signal_max_bytes);
  if (signal.to == user.id) refuse(ErrorCode::validation, "invalid_message", "Address another member of the call.");
  if (auto wait = limiter_.acquire("rtc:" + party_id + ":" + user.id, settings_.signal_limit, settings_.signal_window_ms)) {
    PartyError e(ErrorCode::rate_limited, "rate_limited", "Too many signaling messages; slow down.");
    e.with_retry_after(*wait);
    throw e;
  }
  if (!store_.member(party_id, user.id)) not_in_call();
  // A blocked pair (either way) hears nothing of each other: to the sender the other is simply not there.
  if (!store_.member(party_id, signal.to) || (relations_ && relations_->blocked_between(user.id, signal.to)))
    refuse(ErrorCode::conflict, "peer_not_in_call", "That member is not in the voice chat.");
  hub_.send_to_users(party_id, {signal.to},
                     realtime::make_message(protocol::relayed_signal(signal, user.id, user.username)));
}

void CallsService::announce(const std::string& party_id, bool shares_changed) {
  auto snap = store_.snapshot(party_id);
  name_sfu_participants(snap);
  hub_.broadcast(party_id, realtime::make_message(protocol::voice_state(snap)));
  if (shares_changed)
    hub_.broadcast(party_id, realtime::make_message(protocol::screen_share_state(snap, settings_.max_sharers)));
}

}  // namespace wp::parties
