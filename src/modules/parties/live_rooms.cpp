#include "modules/parties/live_rooms.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <tuple>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/dto.hpp"
#include "modules/parties/protocol.hpp"

namespace wp::parties {

namespace {

constexpr int kRecentMessages = 50;
constexpr int kMaxMissed = 200;
constexpr int kSwapAttempts = 16;
// Another node changed a party: nodes with it live reload it ("<party> <node>").
constexpr const char* kPartyChanged = "party_changed";

// The rows whose user is not among `blocked`.
template <class Row>
std::vector<Row> without(const std::vector<Row>& rows, const std::vector<std::string>& blocked) {
  std::vector<Row> out;
  for (auto& r : rows)
    if (std::find(blocked.begin(), blocked.end(), r.user_id) == blocked.end()) out.push_back(r);
  return out;
}

// What party_state shows a joiner with blocks: nobody blocked with them, nor their messages.
struct SeenBy {
  std::vector<ParticipantRow> participants;
  std::vector<MessageRow> recent;
  std::optional<std::vector<MessageRow>> missed;
};
SeenBy seen_by(const std::vector<std::string>& blocked, const std::vector<ParticipantRow>& participants,
               const std::vector<MessageRow>& recent, const std::optional<std::vector<MessageRow>>& missed) {
  SeenBy s{without(participants, blocked), without(recent, blocked), std::nullopt};
  if (missed) s.missed = without(*missed, blocked);
  return s;
}

// Whether a join or leave in a room of this many members is announced by itself (else its counts
// go out: LiveRooms::count_change).
bool announced_one_by_one(long long members) { return members <= protocol::kStateParticipants; }
constexpr std::int64_t kCountsEveryMs = 1000;  // a big room's presence_counts, at most

// The order of a cut list (sql::kActiveStaff, then sql::kNewestParticipants): the host, the
// moderators by who joined first, then the participants by who joined last.
bool listed_before(const ParticipantRow& a, const ParticipantRow& b) {
  auto rank = [](Role r) { return r == Role::host ? 0 : r == Role::moderator ? 1 : 2; };
  if (rank(a.role) != rank(b.role)) return rank(a.role) < rank(b.role);
  if (a.role != Role::participant) return std::tie(a.joined_at, a.user_id) < std::tie(b.joined_at, b.user_id);
  return std::tie(a.joined_at, a.user_id) > std::tie(b.joined_at, b.user_id);
}

// A cut list keeps kStateParticipants rows, the joiner's own among them, in its place (a list
// read before they joined lacks them, LiveRooms::reused_roster), else last.
void keep_first(std::vector<ParticipantRow>& list, const std::optional<ParticipantRow>& me) {
  const auto cap = static_cast<std::size_t>(protocol::kStateParticipants);
  if (me && me->is_active) {
    std::erase_if(list, [&](const ParticipantRow& p) { return p.user_id == me->user_id; });
    auto at = static_cast<std::size_t>(std::upper_bound(list.begin(), list.end(), *me, listed_before) - list.begin());
    list.insert(list.begin() + static_cast<std::ptrdiff_t>(std::min(at, cap - 1)), *me);
  }
  if (list.size() > cap) list.resize(cap);
}

}  // namespace

void Room::publish() {
  auto msg = realtime::make_message(protocol::playback_state(playback));
  auto blocks = std::make_shared<const std::map<std::string, std::vector<std::string>>>(blocked);
  std::lock_guard lock(view_mu_);
  view_ = {std::move(msg), std::move(blocks)};
}

Room::View Room::view() const {
  std::lock_guard lock(view_mu_);
  return view_;
}

LiveRooms::LiveRooms(Store& store, realtime::Hub& hub, LiveState& live, BlockingPool& pool, const Config& config,
                     WatchRecorder record_watch)
    : store_(store),
      hub_(hub),
      live_(live),
      pool_(pool),
      config_(config),
      record_watch_(std::move(record_watch)),
      writer_([&pool](std::function<void()> task) { return pool.try_submit(std::move(task)); },
              [&store](const std::string& id, long long version, const std::string& json) {
                store.save_playback(id, version, json);
              }),
      node_id_(new_uuid()) {
  hub_.set_tap([this](const std::string& party, const std::string& text) { return on_room_message(party, text); });
  hub_.on_signal(kPartyChanged, [this](const std::string& payload) { on_party_changed(payload); });
  hub_.on_signal(kBlocksChanged, [this](const std::string& payload) { on_blocks_changed(payload); });
}

LiveRooms::~LiveRooms() {
  hub_.set_tap({});
  hub_.on_signal(kPartyChanged, {});
  hub_.on_signal(kBlocksChanged, {});
}

// ---- the room cache ----

std::shared_ptr<Room> LiveRooms::find(const std::string& id) {
  std::lock_guard lock(rooms_mu_);
  auto it = rooms_.find(id);
  return it == rooms_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Room>> LiveRooms::rooms() {
  std::lock_guard lock(rooms_mu_);
  std::vector<std::shared_ptr<Room>> out;
  for (auto& [id, r] : rooms_) out.push_back(r);
  return out;
}

std::shared_ptr<Room> LiveRooms::load(const std::string& id) {
  if (auto r = find(id)) return r;
  auto pending = writer_.pending(id);  // before the party: see newest_playback
  auto p = store_.party(id);
  if (!p) throw_not_found("Party not found.");
  auto participants = store_.active_participants(id);
  auto playback = newest_playback(*p, pending);
  auto room = std::make_shared<Room>(id);
  {
    std::lock_guard lock(room->mu);
    room->party = *p;
    room->settings = parse_settings(p->settings);
    room->seen_chat = SeenChat(now_ms());
    room->playback = playback;
    room->playback.video_id = p->video_id.value_or("");
    for (auto& m : participants) room->members[m.user_id] = Room::Member{m.username, m.role, m.is_muted};
    room->publish();
  }
  std::lock_guard lock(rooms_mu_);
  auto [it, inserted] = rooms_.emplace(id, room);
  return it->second;  // another thread may have loaded it first: use theirs
}

void LiveRooms::drop(const std::string& id) {
  bool dropped = false;
  {
    std::lock_guard lock(rooms_mu_);
    dropped = rooms_.erase(id) > 0;
  }
  if (dropped) live_.forget(id);  // outside rooms_mu_, as in detach
}

void LiveRooms::reload(const std::string& id) {
  auto room = find(id);
  if (!room) return;
  auto p = store_.party(id);
  if (!p) return;
  auto participants = store_.active_participants(id);
  std::lock_guard lock(room->mu);
  room->party = *p;
  room->settings = parse_settings(p->settings);
  room->members.clear();
  for (auto& m : participants) room->members[m.user_id] = Room::Member{m.username, m.role, m.is_muted};
  room->drop_roster();
  room->publish();
}

void LiveRooms::reload_everywhere(const std::string& id) {
  reload(id);
  changed_elsewhere(id);
}

void LiveRooms::changed_elsewhere(const std::string& id) { hub_.signal(kPartyChanged, id + " " + node_id_); }

void LiveRooms::on_party_changed(const std::string& payload) {
  auto space = payload.find(' ');
  if (space == std::string::npos || payload.substr(space + 1) == node_id_) return;
  auto room = find(payload.substr(0, space));
  if (!room) return;
  room->stale = true;
  // Refused: the next tick reloads it (refresh_stale).
  if (!pool_.try_submit([this] { refresh_stale(); }))
    spdlog::info("party {}: reload deferred to the next tick (blocking pool full)", room->id);
}

void LiveRooms::refresh_stale() {
  for (auto& room : rooms()) {
    if (!room->stale.exchange(false)) continue;
    try {
      reload(room->id);
    } catch (const Error& e) {
      room->stale = true;  // the next tick tries again
      spdlog::warn("reloading party {} failed: {}", room->id, e.what());
    }
  }
}

void LiveRooms::set_member(const std::string& id, const std::string& user_id, const Room::Member& m) {
  auto room = find(id);
  if (!room) return;
  std::lock_guard lock(room->mu);
  room->members[user_id] = m;
  room->publish();
}

void LiveRooms::update_member(const std::string& id, const std::string& user_id, Role role, bool muted) {
  auto room = find(id);
  if (!room) return;
  std::lock_guard lock(room->mu);
  if (auto it = room->members.find(user_id); it != room->members.end()) {
    it->second.role = role;
    it->second.muted = muted;
  }
  room->drop_roster();
  room->publish();
}

void LiveRooms::remove_member(const std::string& id, const std::string& user_id,
                              const std::optional<std::string>& new_host) {
  tell_member_gone(id, user_id, true);
  auto room = find(id);
  if (!room) return;
  std::lock_guard lock(room->mu);
  room->members.erase(user_id);
  room->drop_roster();
  if (new_host) {
    room->party.host_id = *new_host;
    if (auto it = room->members.find(*new_host); it != room->members.end()) it->second.role = Role::host;
  }
  room->publish();
}

void LiveRooms::set_status(const std::string& id, PartyStatus status) {
  auto room = find(id);
  if (!room) return;
  std::lock_guard lock(room->mu);
  room->party.status = status;
}

Room::Member LiveRooms::member(const std::shared_ptr<Room>& room, const std::string& user_id) {
  {
    std::lock_guard lock(room->mu);
    if (auto it = room->members.find(user_id); it != room->members.end()) return it->second;
  }
  // Joined through another node since this room was loaded.
  auto m = store_.participant(room->id, user_id);
  if (!m || !m->is_active) refuse(ErrorCode::forbidden, "not_allowed", "You are not a participant of this party.");
  Room::Member member{m->username, m->role, m->is_muted};
  std::lock_guard lock(room->mu);
  auto [it, added] = room->members.emplace(user_id, member);
  if (added) room->publish();
  return it->second;
}

long long LiveRooms::member_count(Room& room) {
  std::lock_guard lock(room.mu);
  return static_cast<long long>(room.members.size());
}

// ---- playback ----

Playback LiveRooms::playback(const std::string& id) {
  if (auto room = find(id)) {
    std::lock_guard lock(room->mu);
    return room->playback;
  }
  auto pending = writer_.pending(id);
  auto party = store_.party(id);
  if (!party) throw_not_found("Party not found.");
  return newest_playback(*party, pending);
}

// The database's copy, unless a save of a newer one is pending or the shared
// copy (the party is live on another node) is ahead. `pending` must be read
// before `party`: a save that leaves the writer is in the database by then.
Playback LiveRooms::newest_playback(const PartyRow& party, const PendingSave& pending) {
  auto pb = protocol::parse_playback(party.playback);
  if (pending && pending->first > pb.version) pb = protocol::parse_playback(pending->second);
  if (auto shared = live_.playback(party.id)) {
    auto live = protocol::parse_playback(*shared);
    if (live.version >= pb.version) pb = live;
  }
  return pb;
}

realtime::Message LiveRooms::playback_message(const std::shared_ptr<Room>& room) { return room->view().playback_state; }

void LiveRooms::adopt(Room& room, const Playback& pb, bool own) {
  // Our own change may have come back through the tap already, parsed from
  // its message (a double may differ in its last bit): ours is the exact one.
  if (pb.version < room.playback.version || (pb.version == room.playback.version && !own)) return;
  auto video = room.playback.video_id;
  room.playback = pb;
  if (room.playback.video_id.empty()) room.playback.video_id = video;
  room.publish();
}

bool LiveRooms::on_room_message(const std::string& party_id, const std::string& text) {
  if (protocol::changes_roster(text)) {
    if (auto room = find(party_id)) {
      std::lock_guard lock(room->mu);
      room->drop_roster();
    }
    return true;
  }
  if (auto chat_id = protocol::chat_message_id(text)) {
    auto room = find(party_id);
    if (!room) return true;
    std::lock_guard lock(room->mu);
    return room->seen_chat.first_time(*chat_id);  // else a replay sent it already
  }
  auto pb = protocol::playback_in(text);
  if (!pb) return true;
  auto room = find(party_id);
  if (!room) return true;
  std::lock_guard lock(room->mu);
  adopt(*room, *pb);
  return true;
}

bool LiveRooms::update_playback(const std::shared_ptr<Room>& room, const std::string& by, const PlaybackChange& change,
                                bool end_wait) {
  const std::string& id = room->id;
  std::lock_guard serial(room->change_mu);
  for (int attempt = 0; attempt < kSwapAttempts; ++attempt) {
    Playback next;
    long long expected = 0;
    {
      std::lock_guard lock(room->mu);
      next = room->playback;
      if (!change(*room, next)) return false;
      expected = room->playback.version;
      next.version = expected + 1;
    }
    next.set_by = by;
    auto durable = boost::json::serialize(protocol::playback_json(next));
    auto current = live_.swap_playback(id, expected, next.version, durable, protocol::playback_state(next), end_wait);
    if (!current) {
      {
        std::lock_guard lock(room->mu);
        adopt(*room, next, true);
      }
      writer_.save(id, next.version, durable);
      return true;
    }
    // Someone changed it first: take theirs and decide again.
    std::lock_guard lock(room->mu);
    adopt(*room, protocol::parse_playback(*current));
  }
  refuse(ErrorCode::conflict, "stale_version", "The playback kept changing; try again.");
}

void LiveRooms::record_watch(const std::optional<std::string>& video_id, const std::string& party_id,
                             const std::string& user_id, double position, bool buffering_event) {
  if (!video_id || !record_watch_) return;  // an external media URL: nothing to record
  try {
    record_watch_(user_id, *video_id, party_id, position, buffering_event);
  } catch (const Error& e) {
    // The video was deleted while the party went on.
    spdlog::info("party {}: watch time of {} not recorded: {}", party_id, user_id, e.what());
  }
}

// ---- sockets ----

std::shared_ptr<Room> LiveRooms::attach(const std::string& id, const Attach& a) {
  auto room = load(id);
  bool first = false;
  Role role = Role::participant;
  send_party_state(room, a, first, role);
  return room;
}

// Joins the socket to the hub and queues party_state in one step, then says
// user_joined when this is the user's first socket anywhere.
void LiveRooms::send_party_state(const std::shared_ptr<Room>& initial, const Attach& a, bool& first, Role& role) {
  const auto& user = a.user;
  const std::string& id = initial->id;
  // Read what the state needs first, outside the room lock, in one snapshot.
  std::uint64_t roster_generation = 0;
  auto reused = reused_roster(*initial, roster_generation);
  std::uint64_t blocks_version = blocks_version_.load();  // before the blocks are read
  auto view = store_.joiner_view(id, user.id,
                                 {.roster_limit = reused ? 0 : protocol::kStateParticipants + 1,
                                  .recent = kRecentMessages,
                                  .missed_after = a.last_message_id,
                                  .missed_max = kMaxMissed});
  if (!view.party) throw_not_found("Party not found.");
  const PartyRow& party = *view.party;
  if (!reused) keep_roster(*initial, view.roster, roster_generation);
  auto participants = reused ? std::move(*reused) : std::move(view.roster);
  bool complete = participants.size() <= static_cast<std::size_t>(protocol::kStateParticipants);
  auto& recent = view.recent;
  std::reverse(recent.begin(), recent.end());
  auto& missed = view.missed;
  auto& me = view.me;
  if (!complete) keep_first(participants, me);
  // Who of those listed is online, the joiner last: online on another node already (or in another
  // tab here) means no user_joined.
  std::vector<std::string> asked;
  asked.reserve(participants.size() + 1);
  for (auto& p : participants) asked.push_back(p.user_id);
  asked.push_back(user.id);
  auto presence = live_.online_of(id, asked);
  bool elsewhere = presence.among.back();
  std::set<std::string> online{user.id};
  for (std::size_t i = 0; i + 1 < asked.size(); ++i)
    if (presence.among[i]) online.insert(asked[i]);
  long long online_count = presence.count + (elsewhere ? 0 : 1);
  Room::Member fallback{user.username, me ? me->role : Role::participant, me && me->is_muted};
  // The joiner's blocks: those users are left out of what they see, and they of the joiner's user_joined.
  std::vector<std::string> blocked = std::move(view.blocked);
  SeenBy seen;  // filled only when there are blocks: the common case copies nothing
  auto see_blocks = [&] {
    if (!blocked.empty()) seen = seen_by(blocked, participants, recent, missed);
  };
  see_blocks();

  auto room = initial;
  for (;;) {
    std::unique_lock lock(room->mu);
    if (find(id) != room) {
      // The last member left meanwhile and the room was let go: take the current one.
      lock.unlock();
      room = load(id);
      continue;
    }
    if (!remember_blocks(*room, user.id, blocked, blocks_version)) {
      // A block changed while they were read: read them again.
      lock.unlock();
      blocks_version = blocks_version_.load();
      blocked = store_.blocked_with(user.id);
      see_blocks();
      continue;
    }
    auto [it, added] = room->members.emplace(user.id, fallback);
    if (added) room->publish();
    role = it->second.role;
    bool all = blocked.empty();
    auto state = protocol::party_state({party, all ? participants : seen.participants, complete, online,
                                        online_count, room->playback, all ? recent : seen.recent,
                                        all ? missed : seen.missed, user.id, role});
    // Joining and queueing the state together: no broadcast can overtake it,
    // and no playback change (adopted under this lock) can fall between them.
    first = hub_.join(id, {a.conn, user.id, user.session_id}, realtime::make_message(std::move(state))) == 1;
    break;
  }
  if (!first) return;
  live_.set_online(id, user.id, true);
  publish_event(events_, {.type = "party.connected", .user_id = user.id, .party_id = id});
  if (elsewhere) return;
  auto members = member_count(*room);
  if (!announced_one_by_one(members))
    count_change(*room);
  else
    send_excluding(id, blocked,
                   realtime::make_message(protocol::user_joined(user.id, user.username, role, members, online_count)));
}

std::optional<std::vector<ParticipantRow>> LiveRooms::reused_roster(Room& room, std::uint64_t& generation) {
  std::lock_guard lock(room.mu);
  if (room.roster && std::chrono::steady_clock::now() - room.roster->read_at < kRosterReuse) return room.roster->rows;
  generation = room.roster_generation;
  return std::nullopt;
}

void LiveRooms::keep_roster(Room& room, const std::vector<ParticipantRow>& rows, std::uint64_t generation) {
  if (rows.size() <= static_cast<std::size_t>(protocol::kStateParticipants)) return;
  std::lock_guard lock(room.mu);
  // Not when a membership message passed during the read: the read may predate it.
  if (room.roster_generation == generation) room.roster = Room::Roster{rows, std::chrono::steady_clock::now()};
}

void LiveRooms::detach(const std::shared_ptr<Room>& room, const std::string& user_id,
                       const std::shared_ptr<realtime::Connection>& conn) {
  const std::string& id = room->id;
  if (hub_.leave(id, conn) > 0) return;
  publish_event(events_, {.type = "party.disconnected", .user_id = user_id, .party_id = id});
  // The room is let go once this node has nobody in it, even when the shared state is unreachable.
  auto unload_if_empty = [&] {
    bool unloaded = false;
    {
      std::lock_guard lock(rooms_mu_);
      unloaded = hub_.online_users(id).empty() && rooms_.erase(id) > 0;
    }
    // Not under rooms_mu_: the live state's playback lock comes first (a
    // broadcast reaches on_room_message, which looks the room up).
    if (!unloaded) return;
    live_.forget(id);
    send_counts(*room);  // a change the tick would have sent: it no longer sees this room
  };
  try {
    live_.set_online(id, user_id, false);
    auto online = live_.online_of(id, {user_id});
    if (!online.among[0]) user_gone(room, user_id);
    if (online.count == 0)
      // Nobody is watching anywhere: hold the party still.
      update_playback(room, "", [](const Room&, Playback& pb) { return pb.pause_at(now_ms_precise()); });
  } catch (const Error&) {
    unload_if_empty();
    throw;
  }
  unload_if_empty();
  std::optional<std::string> video;
  double position = 0;
  {
    std::lock_guard lock(room->mu);
    video = room->party.video_id;
    position = room->playback.expected_position(now_ms_precise());
  }
  record_watch(video, id, user_id, position, false);
}

// A big room's join or leave: the counts go out now, or with the tick when some went out within
// the last second.
void LiveRooms::count_change(Room& room) {
  room.counts_changed = true;
  if (now_ms() - room.counts_sent_ms >= kCountsEveryMs) send_counts(room);
}

void LiveRooms::send_counts(Room& room) {
  if (!room.counts_changed.exchange(false)) return;
  room.counts_sent_ms = now_ms();
  auto online = live_.online_of(room.id, {}).count;
  send_excluding(room.id, {}, realtime::make_message(protocol::presence_counts(member_count(room), online)));
}

void LiveRooms::send_counts_of_big_rooms() {
  auto now = now_ms();
  for (auto& room : rooms())
    if (now - room->counts_sent_ms >= kCountsEveryMs) send_counts(*room);
}

// A user has no socket left in the party on any node.
void LiveRooms::user_gone(const std::shared_ptr<Room>& room, const std::string& user_id) {
  const std::string& id = room->id;
  // A disconnected member is never waited for.
  auto [was_waited_for, still_waiting] = live_.set_buffering(id, user_id, false);
  if (was_waited_for && still_waiting == 0) resume_after_wait(room);
  std::string username;
  long long members = 0;
  {
    std::lock_guard lock(room->mu);
    if (auto it = room->members.find(user_id); it != room->members.end()) username = it->second.username;
    members = static_cast<long long>(room->members.size());
  }
  if (!announced_one_by_one(members)) {
    count_change(*room);
  } else {
    auto online = live_.online_of(id, {}).count;
    // Their blocks stay in the room (it is let go when empty): a socket of theirs
    // opening meanwhile (a reload) relies on them.
    send_excluding(id, blocked_with(room, user_id),
                   realtime::make_message(protocol::user_left(user_id, username, members, online)));
  }
  tell_member_gone(id, user_id, false);
}

void LiveRooms::tell_member_gone(const std::string& party_id, const std::string& user_id, bool removed) {
  if (!member_gone_) return;
  try {
    member_gone_(party_id, user_id, removed);
  } catch (const std::exception& e) {
    // The departure itself stands; the call state is corrected at the next join or leave.
    spdlog::warn("party {}: letting {} go from the voice chat failed: {}", party_id, user_id, e.what());
  }
}

void LiveRooms::typing(const std::shared_ptr<Room>& room, const Principal& user, bool is_typing) {
  auto view = room->view();
  auto msg = realtime::make_message(protocol::typing(user.id, user.username, is_typing));
  // The typist's socket is here, so their blocks were read when it attached.
  auto blocked = view.blocked->find(user.id);
  send_excluding(room->id, blocked == view.blocked->end() ? std::vector<std::string>{} : blocked->second, msg);
}

}  // namespace wp::parties
