// LiveRooms: playback control, the buffering wait, the tick and the resync.
#include <algorithm>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/live_rooms.hpp"
#include "modules/parties/protocol.hpp"

namespace wp::parties {

namespace {

// The newest stored messages a resync looks through for what this node missed.
constexpr int kMaxReplayed = 200;

// Whether `role` may control playback under the party's control setting.
bool may_control(Role role, ControlMode control) {
  return role == Role::host || (role == Role::moderator && control != ControlMode::host_only) ||
         control == ControlMode::everyone;
}

// Applies one control action to the playback (checked before).
void apply(const ControlInput& in, Playback& pb, double now, double lead) {
  using enum PlaybackStatus;
  if (in.action == ControlAction::play) {
    pb.position = in.position ? *in.position : pb.expected_position(now);
    pb.status = playing;
    pb.anchor = now + lead;
  } else if (in.action == ControlAction::pause) {
    pb.position = in.position ? *in.position : pb.expected_position(now);
    pb.status = paused;
    pb.anchor = now;
  } else if (in.action == ControlAction::seek) {
    pb.position = *in.position;
    // A waiting party keeps the time its wait began: the buffering timeout counts from there.
    if (pb.status != waiting) pb.anchor = pb.status == playing ? now + lead : now;
  } else {
    pb.position = pb.expected_position(now);
    if (pb.status != waiting) pb.anchor = pb.status == playing ? now + lead : now;
    pb.rate = *in.rate;
  }
}

}  // namespace

void LiveRooms::control(const std::shared_ptr<Room>& room, const std::string& user_id, const ControlInput& in) {
  if (in.action == ControlAction::seek && !in.position)
    refuse(ErrorCode::validation, "invalid_message", "seek needs a position.");
  if (in.action == ControlAction::rate && !in.rate) refuse(ErrorCode::validation, "invalid_message", "rate needs a rate.");
  const double lead = config_.play_lead_ms;
  // An explicit play or pause ends any wait.
  bool ends_wait = in.action == ControlAction::play || in.action == ControlAction::pause;
  update_playback(room, user_id, [&](const Room& r, Playback& pb) {
    if (r.party.status == PartyStatus::ended) refuse(ErrorCode::forbidden, "party_ended", "The party has ended.");
    auto it = r.members.find(user_id);
    if (it == r.members.end()) refuse(ErrorCode::forbidden, "not_allowed", "You are not a participant of this party.");
    if (!may_control(it->second.role, r.settings.control))
      refuse(ErrorCode::forbidden, "not_allowed", "You may not control playback in this party.");
    if (in.version && *in.version < pb.version)
      refuse(ErrorCode::conflict, "stale_version", "Your playback state is out of date.");
    apply(in, pb, now_ms_precise(), lead);
    return true;
  }, ends_wait);
  publish_event(events_, {.type = "party.playback", .user_id = user_id, .party_id = room->id,
                          .data_json = "{\"action\":\"" + std::string(to_string(in.action)) + "\"}"});
}

void LiveRooms::buffering(const std::shared_ptr<Room>& room, const std::string& user_id, bool is_buffering) {
  const std::string& id = room->id;
  bool wait = false;
  std::optional<std::string> video;
  double position = 0;
  {
    std::lock_guard lock(room->mu);
    if (!room->members.count(user_id)) return;
    wait = !is_buffering || (room->settings.wait_for_buffering &&
                             (room->playback.status == PlaybackStatus::playing || room->playback.status == PlaybackStatus::waiting));
    video = room->party.video_id;
    position = room->playback.expected_position(now_ms_precise());
  }
  if (wait) {
    auto [changed, remaining] = live_.set_buffering(id, user_id, is_buffering);
    if (!is_buffering) {
      if (changed && remaining == 0) resume_after_wait(room);
      return;
    }
    update_playback(room, user_id, [](const Room&, Playback& pb) {
      if (pb.status != PlaybackStatus::playing) return false;
      double now = now_ms_precise();
      pb.position = pb.expected_position(now);
      pb.status = PlaybackStatus::waiting;
      pb.anchor = now;  // when the wait began: every node times it out from here
      return true;
    });
  }
  // Counted whether or not the party waits: it is this viewer's buffering.
  if (is_buffering) record_watch(video, id, user_id, position, true);
}

void LiveRooms::resume_after_wait(const std::shared_ptr<Room>& room) {
  const double lead = config_.play_lead_ms;
  update_playback(
      room, "",
      [lead](const Room&, Playback& pb) {
        if (pb.status != PlaybackStatus::waiting) return false;
        pb.status = PlaybackStatus::playing;
        pb.anchor = now_ms_precise() + lead;
        return true;
      },
      true);
}

void LiveRooms::tick() {
  writer_.retry();
  refresh_stale();
  if (resync_requested_.exchange(false)) {
    try {
      resync();
    } catch (const Error&) {
      resync_requested_ = true;  // Redis went away again: the next tick tries again
      throw;
    }
  }
  end_waits_that_timed_out();
  remove_members_of_dead_nodes();
  send_counts_of_big_rooms();
}

void LiveRooms::end_waits_that_timed_out() {
  auto now = now_ms();
  for (auto& room : rooms()) {
    bool timed_out = false;
    {
      std::lock_guard lock(room->mu);
      timed_out = room->playback.status == PlaybackStatus::waiting && now - room->playback.anchor >= config_.buffering_timeout_ms;
    }
    if (timed_out) {
      spdlog::info("party {}: buffering wait timed out", room->id);
      resume_after_wait(room);
    }
  }
}

void LiveRooms::remove_members_of_dead_nodes() {
  auto now = now_ms();
  if (now - last_presence_ms_ < config_.presence_ttl_s * 1000 / 3) return;
  last_presence_ms_ = now;
  auto local = hub_.local_rooms();
  // The hub also holds other modules' rooms ("user:<id>" of /ws/user/): only parties are ours.
  std::erase_if(local, [](auto& room) { return !is_uuid(room.first); });
  for (auto& [id, users] : live_.renew_presence(local)) {
    auto room = find(id);
    if (!room) continue;
    for (auto& user_id : users) {
      spdlog::info("party {}: {} left with a node that stopped answering", id, user_id);
      user_gone(room, user_id);
    }
  }
}

void LiveRooms::request_resync() {
  bool queued = pool_.try_submit([this] {
    try {
      resync();
    } catch (const Error& e) {
      resync_requested_ = true;
      spdlog::warn("resync after redis reconnect failed (retried on the next tick): {}", e.what());
    }
  });
  if (!queued) resync_requested_ = true;
}

void LiveRooms::resync() {
  for (auto& room : rooms()) {
    const std::string& id = room->id;
    auto shared = live_.playback(id);
    Playback mine;
    {
      std::lock_guard lock(room->mu);
      if (shared) adopt(*room, protocol::parse_playback(*shared));
      mine = room->playback;
    }
    auto text = protocol::playback_state(mine);
    if (!shared)
      // The shared copy was lost (Redis restarted empty): ours becomes it, and every node re-sends it.
      live_.swap_playback(id, mine.version, mine.version, boost::json::serialize(protocol::playback_json(mine)), text,
                          false);
    else
      hub_.deliver_local(id, realtime::make_message(text));
    replay_missed_chat(room);
  }
  last_presence_ms_ = 0;  // renew presence on the next tick
}

// Chat is stored, then published. A message published while this node's
// subscription was down (Redis restarting, this node reconnecting later than
// the sender's) never reached its members: send them what is stored and was
// never sent here, in order, but not to the sockets of users blocked with its
// author. Runs after the subscription is back, so what is published from now
// on arrives live, and the room's SeenChat drops whichever copy comes second.
void LiveRooms::replay_missed_chat(const std::shared_ptr<Room>& room) {
  auto newest = store_.messages_before(room->id, std::nullopt, kMaxReplayed);
  std::reverse(newest.begin(), newest.end());
  int replayed = 0;
  for (auto& m : newest) {
    {
      std::lock_guard lock(room->mu);
      if (!room->seen_chat.missed(m.id, m.sent_at)) continue;
    }
    hub_.deliver_local_except(room->id, blocked_with(room, m.user_id), realtime::make_message(protocol::chat_message(m)));
    ++replayed;
  }
  if (replayed) spdlog::info("party {}: replayed {} chat message(s) this node missed", room->id, replayed);
}

}  // namespace wp::parties
