// CallsService beyond the mesh: the move of a call to the SFU, the members'
// passes, the blocks an SFU cannot honour (it mixes everyone), the end of a
// whole call, and the recovery after the SFU lost its rooms (a restart).
// Every SfuHooks call may block on HTTP: these run on the pool (requests,
// socket queues) or the SFU's own worker thread, never on an I/O thread.
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "modules/parties/calls_protocol.hpp"
#include "modules/parties/calls_service.hpp"

namespace wp::parties {

SfuAccess CallsService::access_of(const VoiceChatRow& chat, const std::string& user_id) {
  SfuAccess a;
  a.audio_room = chat.sfu_audio_room.value_or("");
  a.video_room = chat.sfu_video_room.value_or("");
  a.audio = sfu_.allow(a.audio_room, user_id);
  a.video = sfu_.allow(a.video_room, user_id);
  a.url = settings_.sfu_public_url;
  return a;
}

SfuAccess CallsService::enter_sfu(const std::string& party_id, const std::string& user_id) {
  auto chat = store_.snapshot(party_id);
  bool switched = false;
  if (chat.chat.mode() != CallMode::sfu) {
    auto audio = sfu_.create_room(party_id, SfuRoomKind::audio);
    auto video = sfu_.create_room(party_id, SfuRoomKind::video);
    switched = store_.set_sfu_rooms(party_id, audio, video);
    if (!switched) drop_sfu_rooms(party_id, audio, video);  // another join made them first
    if (switched && relations_) part_blocked_pairs(party_id, user_id);
    chat = store_.snapshot(party_id);
  }
  if (switched) {
    // The members of the mesh move over: each gets their own passes, addressed to them only.
    for (auto& m : chat.members)
      if (m.user_id != user_id)
        hub_.send_to_users(party_id, {m.user_id},
                           realtime::make_message(protocol::call_sfu(party_id, access_of(chat.chat, m.user_id))));
  }
  try {
    return access_of(chat.chat, user_id);
  } catch (const Error& e) {
    // The SFU forgot the rooms (it restarted) before the recovery came by: new ones, once.
    if (e.code() != ErrorCode::not_found || !chat.chat.sfu_audio_room || !chat.chat.sfu_video_room) throw;
    renew_sfu_rooms({party_id, *chat.chat.sfu_audio_room, *chat.chat.sfu_video_room});
    return access_of(store_.snapshot(party_id).chat, user_id);
  }
}

void CallsService::refuse_blocked_in_sfu(const CallSnapshot& call, const std::string& user_id) {
  bool via_sfu = call.chat.mode() == CallMode::sfu || static_cast<int>(call.members.size()) >= settings_.mesh_max;
  if (!via_sfu) return;
  for (auto& m : call.members)
    if (m.user_id != user_id && relations_->blocked_between(user_id, m.user_id))
      throw PartyError(ErrorCode::conflict, "blocked_in_call",
                       "Someone in this voice chat and you have blocked each other; beyond " +
                           std::to_string(settings_.mesh_max) + " members everyone hears everyone.");
}

void CallsService::part_blocked_pairs(const std::string& party_id, const std::string& joining) {
  std::vector<std::string> kept;
  for (auto& m : store_.snapshot(party_id).members) {  // by joined_at: the earlier stays
    bool blocked = false;
    for (auto& k : kept) blocked = blocked || relations_->blocked_between(k, m.user_id);
    if (!blocked || m.user_id == joining) {
      kept.push_back(m.user_id);
      continue;
    }
    let_go(party_id, m.user_id, LeftReason::removed);
    hub_.send_to_users(party_id, {m.user_id},
                       realtime::make_message(protocol::call_ended(party_id, CallEndReason::blocked)));
  }
}

void CallsService::blocks_changed(const std::string& a, const std::string& b, bool blocked) {
  if (!blocked || !sfu_.configured()) return;
  for (auto& call : store_.sfu_calls_of_pair(a, b)) {
    std::optional<std::string> later;
    for (auto& m : store_.snapshot(call.party_id).members)
      if (m.user_id == a || m.user_id == b) later = m.user_id;  // by joined_at: the last one seen
    if (!later) continue;
    let_go(call.party_id, *later, LeftReason::removed);
    hub_.send_to_users(call.party_id, {*later},
                       realtime::make_message(protocol::call_ended(call.party_id, CallEndReason::blocked)));
  }
}

void CallsService::party_ended(const std::string& party_id) { end_call(party_id, CallEndReason::party_ended); }

void CallsService::end_call(const std::string& party_id, CallEndReason reason) {
  auto closed = store_.close(party_id, now_ms());
  if (closed.members.empty()) return;
  drop_sfu_rooms(party_id, closed.sfu_audio_room, closed.sfu_video_room);
  hub_.broadcast(party_id, realtime::make_message(protocol::call_ended(party_id, reason)));
  announce(party_id, closed.shares_ended);
}

void CallsService::recover_sfu_rooms() {
  if (!sfu_.configured()) return;
  for (auto& call : store_.sfu_calls()) {
    try {
      if (sfu_.exists(call.audio_room) && sfu_.exists(call.video_room)) continue;
      spdlog::warn("party {}: the SFU lost the call's rooms; making new ones", call.party_id);
      renew_sfu_rooms(call);
    } catch (const std::exception& e) {
      spdlog::warn("party {}: checking the call's SFU rooms failed: {}", call.party_id, e.what());
    }
  }
}

bool CallsService::renew_sfu_rooms(const SfuCallRow& call) {
  std::optional<std::string> audio, video;
  try {
    audio = sfu_.create_room(call.party_id, SfuRoomKind::audio);
    video = sfu_.create_room(call.party_id, SfuRoomKind::video);
  } catch (const std::exception& e) {
    spdlog::warn("party {}: no new SFU rooms ({}); the call ends", call.party_id, e.what());
    drop_sfu_rooms(call.party_id, audio, video);
    end_call(call.party_id, CallEndReason::sfu_lost);
    return false;
  }
  if (!store_.replace_sfu_rooms(call.party_id, call.audio_room, *audio, *video)) {
    drop_sfu_rooms(call.party_id, audio, video);  // another node (or join) renewed them first
    return false;
  }
  // The old rooms' tokens are revoked; the rooms themselves are gone already.
  drop_sfu_rooms(call.party_id, call.audio_room, call.video_room);
  auto snap = store_.snapshot(call.party_id);
  for (auto& m : snap.members) {
    try {
      hub_.send_to_users(call.party_id, {m.user_id},
                         realtime::make_message(protocol::call_sfu(call.party_id, access_of(snap.chat, m.user_id))));
    } catch (const std::exception& e) {
      spdlog::warn("party {}: no new SFU pass for {}: {}", call.party_id, m.user_id, e.what());
    }
  }
  announce(call.party_id, false);  // the members' participant ids in the new room
  return true;
}

void CallsService::mute_in_sfu(const std::string& party_id, const std::string& user_id, bool muted) {
  if (!sfu_.configured()) return;
  auto chat = store_.snapshot(party_id).chat;
  if (chat.mode() != CallMode::sfu) return;
  try {
    sfu_.mute(*chat.sfu_audio_room, user_id, muted);
  } catch (const std::exception& e) {
    // The mute is recorded: hold_sfu_mutes applies it later; a member let
    // speak again unmutes themselves in the mix when voice_state says so.
    spdlog::warn("party {}: the SFU did not take the server mute of {}: {}", party_id, user_id, e.what());
  }
}

void CallsService::hold_sfu_mutes() {
  if (!sfu_.configured()) return;
  auto rows = store_.sfu_server_muted();  // by party
  for (std::size_t i = 0; i < rows.size();) {
    std::vector<std::string> users;
    auto j = i;
    for (; j < rows.size() && rows[j].party_id == rows[i].party_id; ++j) users.push_back(rows[j].user_id);
    // One room Janus fails on must not keep the mutes of the parties after it from being held.
    try {
      hold_sfu_mutes_of(rows[i].party_id, rows[i].audio_room, users);
    } catch (const Error& e) {
      spdlog::warn("party {}: server mutes not held in the SFU this round: {}", rows[i].party_id, e.what());
    }
    i = j;
  }
}

void CallsService::hold_sfu_mutes_of(const std::string& party_id, const std::string& room,
                                     const std::vector<std::string>& users) {
  for (auto& user : sfu_.hold_muted(room, users)) {
    // The mute may have been lifted since the muted members were read: then
    // this round's mute came after the lift's unmute, and is taken back.
    auto m = store_.member(party_id, user);
    if (m && !m->server_muted) {
      sfu_.mute(room, user, false);
      continue;
    }
    spdlog::info("party {}: {} was heard in the SFU despite the server mute; muted again", party_id, user);
  }
}

void CallsService::name_sfu_participants(CallSnapshot& call) {
  if (!sfu_.configured() || !call.chat.sfu_audio_room) return;
  for (auto& m : call.members) m.sfu_participant_id = sfu_.participant_of(*call.chat.sfu_audio_room, m.user_id);
}

void CallsService::drop_sfu_rooms(const std::string& party_id, const std::optional<std::string>& audio,
                                  const std::optional<std::string>& video) {
  for (auto* room : {&audio, &video}) {
    if (!*room) continue;
    try {
      sfu_.destroy(**room);
    } catch (const std::exception& e) {
      spdlog::warn("party {}: destroying SFU room {} failed: {}", party_id, **room, e.what());
    }
  }
}

}  // namespace wp::parties
