#include "modules/parties/service.hpp"

#include <boost/json.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/dto.hpp"

namespace wp::parties {

namespace json = boost::json;

namespace {

constexpr int kRecentMessages = 50;
constexpr int kMaxMissed = 200;
constexpr std::size_t kMaxChat = 1000;
constexpr int kReactionBurst = 5;
constexpr std::int64_t kReactionWindowMs = 2000;
constexpr int kSwapAttempts = 16;
constexpr std::int64_t kMaxSlowModeMs = 3600 * 1000;  // the largest slow_mode_seconds
// Another node changed a party: nodes with it live reload it ("<party> <node>").
constexpr const char* kPartyChanged = "party_changed";

json::object parse_object(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_object() ? v.as_object() : json::object{};
}

bool is_moderator(const std::string& role) { return role == "host" || role == "moderator"; }

[[noreturn]] void refuse(ErrorCode code, const std::string& ws_code, const std::string& message) {
  throw PartyError(code, ws_code, message);
}

std::string message_text(const json::object& o) { return json::serialize(o); }

// Holds the playback still where it is; false when it already is.
bool pause(Playback& pb) {
  if (pb.status == "paused") return false;
  double now = now_ms_precise();
  pb.position = pb.expected_position(now);
  pb.status = "paused";
  pb.anchor = now;
  return true;
}

}  // namespace

json::object Settings::to_json() const {
  return {{"control", control},
          {"chat_enabled", chat_enabled},
          {"slow_mode_seconds", slow_mode_seconds},
          {"reactions_enabled", reactions_enabled},
          {"wait_for_buffering", wait_for_buffering},
          {"require_approval", require_approval}};
}

std::string merge_settings(const std::string& current, const json::object& patch) {
  auto merged = parse_settings(current).to_json();
  for (auto& [k, v] : patch) merged[k] = v;
  return json::serialize(merged);
}

Settings parse_settings(const std::string& text) {
  Settings s;
  auto o = parse_object(text);
  if (auto v = o.if_contains("control"); v && v->is_string()) s.control = std::string(v->as_string());
  if (auto v = o.if_contains("chat_enabled"); v && v->is_bool()) s.chat_enabled = v->as_bool();
  if (auto v = o.if_contains("slow_mode_seconds"); v && v->is_int64()) s.slow_mode_seconds = static_cast<int>(v->as_int64());
  if (auto v = o.if_contains("reactions_enabled"); v && v->is_bool()) s.reactions_enabled = v->as_bool();
  if (auto v = o.if_contains("wait_for_buffering"); v && v->is_bool()) s.wait_for_buffering = v->as_bool();
  if (auto v = o.if_contains("require_approval"); v && v->is_bool()) s.require_approval = v->as_bool();
  return s;
}

double Playback::expected_position(double now_ms) const {
  if (status != "playing") return position;
  return position + std::max(0.0, now_ms - anchor) / 1000.0 * rate;
}

json::object Playback::to_json() const {
  return {{"status", status},       {"position", position}, {"rate", rate},     {"anchor_server_time", anchor},
          {"version", version},     {"video_id", video_id.empty() ? json::value(nullptr) : json::value(video_id)},
          {"set_by", set_by.empty() ? json::value(nullptr) : json::value(set_by)}};
}

Playback parse_playback(const std::string& text) { return playback_from(parse_object(text)); }

Playback playback_from(const json::object& o) {
  Playback p;
  if (auto v = o.if_contains("status"); v && v->is_string()) p.status = std::string(v->as_string());
  if (auto v = o.if_contains("position"); v && v->is_number()) p.position = v->to_number<double>();
  if (auto v = o.if_contains("rate"); v && v->is_number()) p.rate = v->to_number<double>();
  if (auto v = o.if_contains("anchor_server_time"); v && v->is_number()) p.anchor = v->to_number<double>();
  if (auto v = o.if_contains("version"); v && v->is_number()) p.version = v->to_number<long long>();
  if (auto v = o.if_contains("set_by"); v && v->is_string()) p.set_by = std::string(v->as_string());
  if (auto v = o.if_contains("video_id"); v && v->is_string()) p.video_id = std::string(v->as_string());
  return p;
}

PartiesService::PartiesService(Store& store, realtime::Hub& hub, LiveState& live, RateLimiter& limiter,
                               BlockingPool& pool, const Config& config, VideoHooks videos)
    : store_(store),
      hub_(hub),
      pool_(pool),
      config_(config),
      videos_(std::move(videos)),
      live_(live),
      limiter_(limiter),
      writer_([&pool](std::function<void()> task) { return pool.try_submit(std::move(task)); },
              [&store](const std::string& id, long long version, const std::string& json) {
                store.save_playback(id, version, json);
              }),
      node_id_(new_uuid()) {
  hub_.set_tap([this](const std::string& party, const std::string& text) { on_room_message(party, text); });
  hub_.on_signal(kPartyChanged, [this](const std::string& payload) {
    auto space = payload.find(' ');
    if (space == std::string::npos || payload.substr(space + 1) == node_id_) return;
    auto room = room_if_loaded(payload.substr(0, space));
    if (!room) return;
    room->stale = true;
    // Refused: the next tick reloads it (refresh_stale_rooms).
    if (!pool_.try_submit([this] { refresh_stale_rooms(); }))
      spdlog::info("party {}: reload deferred to the next tick (blocking pool full)", room->id);
  });
}

PartiesService::~PartiesService() {
  hub_.set_tap({});
  hub_.on_signal(kPartyChanged, {});
}

void Room::publish() {
  auto names = std::make_shared<std::map<std::string, std::string>>();
  for (auto& [id, m] : members) names->emplace(id, m.username);
  auto msg = realtime::make_message(message_text({{"type", "playback_state"}, {"playback", playback.to_json()}}));
  std::lock_guard lock(view_mu_);
  view_ = {std::move(msg), std::move(names)};
}

Room::View Room::view() const {
  std::lock_guard lock(view_mu_);
  return view_;
}

std::string PartiesService::new_room_code() {
  static constexpr char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (;;) {
    std::string code;
    for (int i = 0; i < 8; ++i) code.push_back(alphabet[randombytes_uniform(sizeof alphabet - 1)]);
    if (!store_.room_code_taken(code)) return code;
  }
}

PartyRow PartiesService::visible_party(const Principal& user, const std::string& id) {
  auto p = store_.party(id);
  if (!p) throw_not_found("Party not found.");
  if (p->visibility == "private" && !user.is_staff && !user.is_superuser) {
    auto m = store_.participant(id, user.id);
    if (!(m && !m->is_banned) && !store_.is_invited(id, user.id)) throw_not_found("Party not found.");
  }
  return *p;
}

ParticipantRow PartiesService::member(const PartyRow& party, const std::string& user_id) {
  auto m = store_.participant(party.id, user_id);
  if (!m || !m->is_active) throw_forbidden("You are not a participant of this party.");
  return *m;
}

void PartiesService::require_host(const Principal& user, const PartyRow& party, const std::string& what) {
  if (user.is_staff || user.is_superuser) return;
  // host_id alone is not enough: a host who left an empty party is still named there until someone joins.
  auto m = store_.participant(party.id, user.id);
  if (!m || !m->is_active || m->role != "host") throw_forbidden("Only the host may " + what + " the party.");
}

void PartiesService::require_moderator(const Principal& user, const PartyRow& party) {
  if (user.is_staff || user.is_superuser) return;
  auto m = store_.participant(party.id, user.id);
  if (!m || !m->is_active || !is_moderator(m->role)) throw_forbidden("Only the host or a moderator may do that.");
}

PartyRow PartiesService::create(const Principal& user, const CreateInput& in) {
  // A party plays a video this user may watch (their own, or a public one).
  if (in.video_id && !(videos_.may_play && videos_.may_play(*in.video_id, user)))
    throw_validation("video_id", "No such video, or not one you may play.");
  auto now = now_ms();
  PartyRow p;
  p.id = new_uuid();
  p.host_id = user.id;
  p.host_username = user.username;
  p.video_id = in.video_id;
  p.media_url = in.media_url.value_or("");
  p.title = in.title;
  p.description = in.description;
  p.visibility = in.visibility;
  p.max_participants = in.max_participants;
  p.scheduled_start = in.scheduled_start;
  p.status = in.scheduled_start && *in.scheduled_start > now ? "scheduled" : "live";
  if (p.status == "live") p.actual_start = now;
  p.settings = merge_settings("{}", in.settings.value_or(json::object{}));
  Playback pb;
  pb.video_id = in.video_id.value_or("");
  p.playback = json::serialize(pb.to_json());
  p.room_code = new_room_code();
  p.created_at = p.updated_at = now;
  p.participant_count = 1;
  ParticipantRow host{new_uuid(), p.id, user.id, user.username, "host", true, false, false, now};
  store_.create_party(p, host);
  return p;
}

PartyRow PartiesService::get(const Principal& user, const std::string& id) { return visible_party(user, id); }

std::vector<PartyRow> PartiesService::list(const Principal& user, const PartyFilter& f, int limit, int offset,
                                           long long& count) {
  count = store_.count_parties(f, user.id);
  return store_.parties(f, user.id, limit, offset);
}

std::vector<PartyRow> PartiesService::list_public(int limit, int offset, long long& count) {
  PartyFilter f;
  f.public_only = true;
  count = store_.count_parties(f, "");
  return store_.parties(f, "", limit, offset);
}

PartyRow PartiesService::update(const Principal& user, const std::string& id, const PatchInput& in) {
  auto p = visible_party(user, id);
  auto m = member(p, user.id);
  if (!is_moderator(m.role)) throw_forbidden("Only the host or a moderator may change the party.");
  if (p.status == "ended") refuse(ErrorCode::conflict, "party_ended", "The party has ended.");
  if (in.title) p.title = *in.title;
  if (in.description) p.description = *in.description;
  if (in.visibility) p.visibility = *in.visibility;
  if (in.max_participants) {
    if (*in.max_participants < p.participant_count)
      throw_validation("max_participants", "Lower than the number of current participants.");
    p.max_participants = *in.max_participants;
  }
  if (in.settings) p.settings = merge_settings(p.settings, *in.settings);
  p.updated_at = now_ms();
  store_.update_party(p);
  return announce_change(id);
}

void PartiesService::changed_elsewhere(const std::string& id) { hub_.signal(kPartyChanged, id + " " + node_id_); }

PartyRow PartiesService::announce_change(const std::string& id) {
  refresh_room(id);
  changed_elsewhere(id);
  auto fresh = *store_.party(id);
  broadcast(id, {{"type", "party_updated"}, {"party", party_json(fresh)}});
  return fresh;
}

void PartiesService::remove(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  require_host(user, p, "delete");
  store_.delete_party(id);
  hub_.close_room(id, realtime::close_code::forbidden, "The party was deleted.");
  std::lock_guard lock(rooms_mu_);
  if (rooms_.erase(id)) live_.forget(id);
}

PartyRow PartiesService::start(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  require_host(user, p, "start");
  if (p.status == "ended") refuse(ErrorCode::conflict, "party_ended", "The party has ended.");
  if (p.status == "scheduled") {
    p.status = "live";
    p.actual_start = now_ms();
    p.updated_at = now_ms();
    store_.update_party(p);
  }
  return announce_change(id);
}

PartyRow PartiesService::end(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  require_host(user, p, "end");
  if (p.status != "ended") {
    p.status = "ended";
    p.ended_at = p.updated_at = now_ms();
    store_.update_party(p);
    if (auto room = room_if_loaded(id)) {
      {
        std::lock_guard lock(room->mu);
        room->party.status = "ended";
        room->publish();
      }
      update_playback(room, user.id, [](const Room&, Playback& pb) { return pause(pb); });
    }
  }
  return announce_change(id);
}

bool PartiesService::admit(const Principal& user, const PartyRow& party) {
  if (party.status == "ended") refuse(ErrorCode::forbidden, "party_ended", "The party has ended.");
  bool invited = store_.is_invited(party.id, user.id);
  if (party.visibility == "private" && !invited) {
    auto m = store_.participant(party.id, user.id);
    if (!m) throw_forbidden("This party is private: you need an invitation.");
  }
  // The party's own host, and users the host or a moderator invited, come in without asking.
  bool needs_approval = parse_settings(party.settings).require_approval && user.id != party.host_id &&
                        !store_.invitation_admits(party.id, user.id);
  auto joined = store_.join(party.id, user.id, now_ms(), needs_approval);
  switch (joined.outcome) {
    case JoinOutcome::banned: throw_forbidden("You are banned from this party.");
    case JoinOutcome::full: throw_conflict("The party is full.");
    case JoinOutcome::already_member: return true;
    case JoinOutcome::requested: announce_request(party, user); return false;
    case JoinOutcome::already_requested: return false;
    case JoinOutcome::declined: throw_forbidden("The host declined your request.");
    case JoinOutcome::joined: break;
  }
  if (joined.role == "host") {
    // They took over a party nobody was hosting: every node reloads it.
    refresh_room(party.id);
    changed_elsewhere(party.id);
  } else if (auto room = room_if_loaded(party.id)) {
    std::lock_guard lock(room->mu);
    room->members[user.id] = Room::Member{user.username, joined.role};
    room->publish();
  }
  return true;
}

// Tells the host and moderators online (on any node) that someone asks to join.
void PartiesService::announce_request(const PartyRow& party, const Principal& user) {
  std::vector<std::string> moderators;
  for (auto& m : store_.active_participants(party.id))
    if (is_moderator(m.role)) moderators.push_back(m.user_id);
  if (moderators.empty()) return;
  json::object msg{{"type", "join_request"}, {"user", user_ref(user.id, user.username)}, {"requested_at", to_rfc3339(now_ms())}};
  hub_.send_to_users(party.id, moderators, realtime::make_message(message_text(msg)));
}

Joined PartiesService::join(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  if (admit(user, p)) return {*store_.party(id), std::nullopt};
  return {p, store_.participant(id, user.id)};
}

Joined PartiesService::join_by_code(const Principal& user, const std::string& code) {
  std::string upper = code;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  auto p = store_.party_by_code(upper);
  if (!p) throw_not_found("No party with this code.");
  if (admit(user, *p)) return {*store_.party(p->id), std::nullopt};
  return {*p, store_.participant(p->id, user.id)};
}

void PartiesService::leave(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  // Leaving before approval withdraws the request.
  if (store_.withdraw(id, user.id)) return;
  member(p, user.id);
  record_watch(p.video_id, id, user.id, playback_of(p).expected_position(now_ms_precise()), false);
  auto new_host = store_.leave(id, user.id, now_ms());
  if (auto room = room_if_loaded(id)) {
    std::lock_guard lock(room->mu);
    room->members.erase(user.id);
    if (new_host) {
      room->party.host_id = *new_host;
      if (auto it = room->members.find(*new_host); it != room->members.end()) it->second.role = "host";
    }
    room->publish();
  }
  changed_elsewhere(id);
  // Not 1001: clients reconnect after that, and reconnecting would join again.
  hub_.close_user(id, user.id, realtime::close_code::forbidden, "You left the party.");
  if (new_host) {
    auto m = store_.participant(id, *new_host);
    broadcast(id, {{"type", "participant_updated"},
                   {"user", {{"id", m->user_id}, {"username", m->username}, {"role", m->role}, {"is_muted", m->is_muted}}}});
  }
}

std::vector<ParticipantRow> PartiesService::participants(const Principal& user, const std::string& id,
                                                         bool pending) {
  auto p = visible_party(user, id);
  if (pending) {
    require_moderator(user, p);
    return store_.pending_participants(id);
  }
  if (!user.is_staff && !user.is_superuser) member(p, user.id);
  return store_.active_participants(id);
}

ParticipantRow PartiesService::approve(const Principal& user, const std::string& id, const std::string& target) {
  auto p = visible_party(user, id);
  require_moderator(user, p);
  if (p.status == "ended") refuse(ErrorCode::conflict, "party_ended", "The party has ended.");
  switch (store_.approve(id, target, now_ms())) {
    case ApproveOutcome::not_requested: throw_not_found("No pending join request from this user.");
    case ApproveOutcome::full: throw_conflict("The party is full.");
    case ApproveOutcome::approved: break;
  }
  refresh_room(id);
  changed_elsewhere(id);
  return *store_.participant(id, target);
}

void PartiesService::reject(const Principal& user, const std::string& id, const std::string& target) {
  auto p = visible_party(user, id);
  require_moderator(user, p);
  if (!store_.reject(id, target)) throw_not_found("No pending join request from this user.");
}

JoinRequestState PartiesService::join_request(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  auto m = store_.participant(id, user.id);
  if (!m || m->is_banned) return {p, "none", std::nullopt};
  if (m->is_active) return {p, "active", std::nullopt};
  if (m->join_request == "none") return {p, "none", std::nullopt};
  return {p, m->join_request, m->joined_at};
}

std::set<std::string> PartiesService::online_users(const std::string& party_id) { return live_.online(party_id); }

ParticipantRow PartiesService::moderate(const Principal& user, const std::string& id, const std::string& target,
                                        const std::string& action) {
  auto p = visible_party(user, id);
  auto me = member(p, user.id);
  auto them = store_.participant(id, target);
  if (!them || (!them->is_active && action != "ban")) throw_not_found("Participant not found.");
  if (target == user.id) throw_forbidden("You cannot do that to yourself.");
  if (them->role == "host") throw_forbidden("The host cannot be moderated.");
  bool host_only = action == "promote" || action == "demote";
  if (host_only ? me.role != "host" : !is_moderator(me.role))
    throw_forbidden(host_only ? "Only the host may change roles." : "Only the host or a moderator may do that.");
  if (me.role == "moderator" && them->role == "moderator") throw_forbidden("Moderators cannot moderate each other.");

  if (action == "promote" || action == "demote") {
    them->role = action == "promote" ? "moderator" : "participant";
    if (!store_.set_role(id, target, them->role)) throw_forbidden("The host cannot be moderated.");
  } else if (action == "mute" || action == "unmute") {
    them->is_muted = action == "mute";
    store_.set_muted(id, target, them->is_muted);
  } else {
    if (!store_.remove_participant(id, target, action == "ban", now_ms()))
      throw_forbidden("The host cannot be moderated.");
    them->is_active = false;
    them->is_banned = action == "ban";
  }
  if (auto room = room_if_loaded(id)) {
    std::lock_guard lock(room->mu);
    if (!them->is_active) {
      room->members.erase(target);
    } else if (auto it = room->members.find(target); it != room->members.end()) {
      it->second.role = them->role;
      it->second.muted = them->is_muted;
    }
    room->publish();
  }
  changed_elsewhere(id);
  if (!them->is_active) {
    hub_.close_user(id, target, realtime::close_code::forbidden, action == "ban" ? "You were banned." : "You were removed.");
  } else {
    broadcast(id, {{"type", "participant_updated"},
                   {"user", {{"id", target}, {"username", them->username}, {"role", them->role}, {"is_muted", them->is_muted}}}});
  }
  return *them;
}

int PartiesService::invite(const Principal& user, const std::string& id, const std::vector<std::string>& user_ids) {
  auto p = visible_party(user, id);
  auto me = member(p, user.id);
  if (p.status == "ended") refuse(ErrorCode::conflict, "party_ended", "The party has ended.");
  if (auto unknown = store_.unknown_users(user_ids); !unknown.empty()) {
    std::string list;
    for (auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    throw_validation("user_ids", "No such user: " + list + ".");
  }
  int n = 0;
  for (auto& uid : user_ids) {
    if (uid == user.id) continue;
    auto existing = store_.participant(id, uid);
    if (existing && existing->is_active) continue;
    store_.invite({new_uuid(), id, "", user.id, "", uid, "pending", now_ms(), is_moderator(me.role)});
    ++n;
  }
  return n;
}

std::vector<InvitationRow> PartiesService::invitations(const Principal& user, int limit, int offset,
                                                       long long& count) {
  count = store_.count_pending_invitations(user.id);
  return store_.pending_invitations(user.id, limit, offset);
}

PartyRow PartiesService::respond_invitation(const Principal& user, const std::string& invitation_id, bool accept) {
  auto inv = store_.invitation(invitation_id);
  if (!inv || inv->invitee_id != user.id) throw_not_found("Invitation not found.");
  if (inv->status != "pending") throw_conflict("The invitation was already answered.");
  auto party = store_.party(inv->party_id);
  if (!party) throw_not_found("Party not found.");
  if (accept) admit(user, *party);
  store_.set_invitation_status(invitation_id, accept ? "accepted" : "declined", now_ms());
  return *store_.party(inv->party_id);
}

std::vector<MessageRow> PartiesService::chat_history(const Principal& user, const std::string& id,
                                                     const std::optional<std::string>& before, int limit) {
  auto p = visible_party(user, id);
  member(p, user.id);
  return store_.messages_before(id, before, limit);
}

MessageRow PartiesService::post_chat(const Principal& user, const std::string& id, const std::string& content) {
  std::string text = content;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.empty()) refuse(ErrorCode::validation, "invalid_message", "The message is empty.");
  if (text.size() > kMaxChat * 4 ||
      static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; })) > kMaxChat)
    refuse(ErrorCode::validation, "invalid_message", "Messages are at most 1000 characters.");
  auto room = load_room(id);
  auto me = live_member(room, user.id);
  std::int64_t gap = 0;
  {
    std::lock_guard lock(room->mu);
    if (room->party.status == "ended") refuse(ErrorCode::forbidden, "party_ended", "The party has ended.");
    if (!room->settings.chat_enabled) refuse(ErrorCode::forbidden, "chat_disabled", "Chat is turned off in this party.");
    gap = static_cast<std::int64_t>(room->settings.slow_mode_seconds) * 1000;
  }
  if (me.muted) refuse(ErrorCode::forbidden, "muted", "You are muted in this party.");
  // Every message is counted, so slow mode turned on just after one applies to the next.
  const std::string slow_key = "slow:" + id + ":" + user.id;
  if (gap > 0 && !is_moderator(me.role)) {
    if (auto wait = limiter_.acquire(slow_key, 1, gap)) {
      PartyError e(ErrorCode::rate_limited, "slow_mode", "Slow mode: wait before sending another message.");
      e.with_retry_after(*wait);
      throw e;
    }
  } else {
    limiter_.hit(slow_key, kMaxSlowModeMs);
  }
  // Time-ordered ids keep history, resume and broadcast in one order.
  std::int64_t sent_at = 0;
  auto message_id = new_uuid_v7(&sent_at);
  MessageRow m{message_id, id, user.id, user.username, text, "text", sent_at};
  store_.insert_message(m);
  broadcast(id, {{"type", "chat_message"}, {"message", message_json(m)}});
  return m;
}

ReactionRow PartiesService::react(const Principal& user, const std::string& id, const std::string& emoji,
                                  double video_ts) {
  if (emoji.empty() || emoji.size() > 16) refuse(ErrorCode::validation, "invalid_message", "emoji must be 1 to 16 bytes.");
  auto room = load_room(id);
  live_member(room, user.id);
  {
    std::lock_guard lock(room->mu);
    if (room->party.status == "ended") refuse(ErrorCode::forbidden, "party_ended", "The party has ended.");
    if (!room->settings.reactions_enabled)
      refuse(ErrorCode::forbidden, "reactions_disabled", "Reactions are turned off in this party.");
  }
  if (auto wait = limiter_.acquire("react:" + id + ":" + user.id, kReactionBurst, kReactionWindowMs)) {
    PartyError e(ErrorCode::rate_limited, "rate_limited", "Too many reactions; slow down.");
    e.with_retry_after(*wait);
    throw e;
  }
  ReactionRow r{new_uuid(), id, user.id, user.username, emoji, video_ts, now_ms()};
  store_.insert_reaction(r);
  broadcast(id, {{"type", "reaction"}, {"reaction", reaction_json(r)}});
  return r;
}

std::map<std::string, long long> PartiesService::reaction_counts(const Principal& user, const std::string& id) {
  member(visible_party(user, id), user.id);
  return store_.reaction_counts(id);
}

std::string PartiesService::report(const Principal& user, const std::string& id, const std::string& reason,
                                   const std::string& description) {
  auto p = visible_party(user, id);
  member(p, user.id);
  auto report_id = new_uuid();
  store_.insert_report(report_id, p.id, user.id, reason, description, now_ms());
  return report_id;
}

Playback PartiesService::sync_state(const Principal& user, const std::string& id) {
  auto p = visible_party(user, id);
  member(p, user.id);
  return playback_of(p);
}

Playback PartiesService::playback_of(const PartyRow& party) {
  if (auto room = room_if_loaded(party.id)) {
    std::lock_guard lock(room->mu);
    return room->playback;
  }
  auto pending = writer_.pending(party.id);
  auto fresh = store_.party(party.id);
  return newest_playback(fresh ? *fresh : party, pending);
}

// The database's copy, unless a save of a newer one is pending or the shared
// copy (the party is live on another node) is ahead. `pending` must be read
// before `party`: a save that leaves the writer is in the database by then.
Playback PartiesService::newest_playback(const PartyRow& party, const PendingSave& pending) {
  auto pb = parse_playback(party.playback);
  if (pending && pending->first > pb.version) pb = parse_playback(pending->second);
  if (auto shared = live_.playback(party.id)) {
    auto live = parse_playback(*shared);
    if (live.version >= pb.version) pb = live;
  }
  return pb;
}

void PartiesService::record_watch(const std::optional<std::string>& video_id, const std::string& party_id,
                                  const std::string& user_id, double position, bool buffering_event) {
  if (!video_id || !videos_.record_watch) return;  // an external media URL: nothing to record
  try {
    videos_.record_watch(user_id, *video_id, party_id, position, buffering_event);
  } catch (const Error& e) {
    // The video was deleted while the party went on.
    spdlog::info("party {}: watch time of {} not recorded: {}", party_id, user_id, e.what());
  }
}

// ---- live rooms ----

std::shared_ptr<Room> PartiesService::room_if_loaded(const std::string& id) {
  std::lock_guard lock(rooms_mu_);
  auto it = rooms_.find(id);
  return it == rooms_.end() ? nullptr : it->second;
}

std::shared_ptr<Room> PartiesService::load_room(const std::string& id) {
  if (auto r = room_if_loaded(id)) return r;
  auto pending = writer_.pending(id);
  auto p = store_.party(id);
  if (!p) throw_not_found("Party not found.");
  auto participants = store_.active_participants(id);
  auto playback = newest_playback(*p, pending);
  auto room = std::make_shared<Room>(id);
  {
    std::lock_guard lock(room->mu);
    room->party = *p;
    room->settings = parse_settings(p->settings);
    room->playback = playback;
    room->playback.video_id = p->video_id.value_or("");
    for (auto& m : participants) room->members[m.user_id] = Room::Member{m.username, m.role, m.is_muted};
    room->publish();
  }
  std::lock_guard lock(rooms_mu_);
  auto [it, inserted] = rooms_.emplace(id, room);
  return it->second;  // another thread may have loaded it first: use theirs
}

Room::Member PartiesService::live_member(const std::shared_ptr<Room>& room, const std::string& user_id) {
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

void PartiesService::refresh_room(const std::string& id) {
  auto room = room_if_loaded(id);
  if (!room) return;
  auto p = store_.party(id);
  if (!p) return;
  auto participants = store_.active_participants(id);
  std::lock_guard lock(room->mu);
  room->party = *p;
  room->settings = parse_settings(p->settings);
  room->members.clear();
  for (auto& m : participants) room->members[m.user_id] = Room::Member{m.username, m.role, m.is_muted};
  room->publish();
}

void PartiesService::refresh_stale_rooms() {
  std::vector<std::shared_ptr<Room>> stale;
  {
    std::lock_guard lock(rooms_mu_);
    for (auto& [id, r] : rooms_)
      if (r->stale) stale.push_back(r);
  }
  for (auto& room : stale) {
    room->stale = false;
    try {
      refresh_room(room->id);
    } catch (const Error& e) {
      room->stale = true;  // the next tick tries again
      spdlog::warn("reloading party {} failed: {}", room->id, e.what());
    }
  }
}

void PartiesService::broadcast(const std::string& party_id, const json::object& msg) {
  hub_.broadcast(party_id, realtime::make_message(message_text(msg)));
}

realtime::Message PartiesService::playback_message(const std::shared_ptr<Room>& room) {
  return room->view().playback_state;
}

void PartiesService::adopt(Room& room, const Playback& pb) {
  if (pb.version <= room.playback.version) return;
  auto video = room.playback.video_id;
  room.playback = pb;
  if (room.playback.video_id.empty()) room.playback.video_id = video;
  room.publish();
}

void PartiesService::on_room_message(const std::string& party_id, const std::string& text) {
  static constexpr std::string_view kPlaybackState = R"({"type":"playback_state")";
  if (text.compare(0, kPlaybackState.size(), kPlaybackState) != 0) return;
  auto room = room_if_loaded(party_id);
  if (!room) return;
  auto o = parse_object(text);
  auto pb = o.if_contains("playback");
  if (!pb || !pb->is_object()) return;
  auto playback = playback_from(pb->as_object());
  std::lock_guard lock(room->mu);
  adopt(*room, playback);
}

bool PartiesService::update_playback(const std::shared_ptr<Room>& room, const std::string& by,
                                     const PlaybackChange& change) {
  const std::string& id = room->id;
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
    auto body = next.to_json();
    auto durable = json::serialize(body);
    auto current = live_.swap_playback(id, expected, next.version, durable,
                                       message_text({{"type", "playback_state"}, {"playback", std::move(body)}}));
    if (!current) {
      {
        std::lock_guard lock(room->mu);
        adopt(*room, next);
      }
      writer_.save(id, next.version, durable);
      return true;
    }
    // Someone changed it first: take theirs and decide again.
    std::lock_guard lock(room->mu);
    adopt(*room, parse_playback(*current));
  }
  refuse(ErrorCode::conflict, "stale_version", "The playback kept changing; try again.");
}

std::shared_ptr<Room> PartiesService::connect(const Principal& user, const std::string& id,
                                              std::shared_ptr<realtime::Connection> conn,
                                              const std::optional<std::string>& last_message_id) {
  auto party = store_.party(id);
  if (!party) throw_not_found("Party not found.");
  auto existing = store_.participant(id, user.id);
  if (existing && existing->is_banned) throw_forbidden("You are banned from this party.");
  if ((!existing || !existing->is_active) && !admit(user, *party))
    throw_forbidden("Your request to join awaits the host's approval.");
  auto room = load_room(id);

  // Read what the state needs first, outside the room lock.
  party = store_.party(id);
  auto participants = store_.active_participants(id);
  auto recent = store_.messages_before(id, std::nullopt, kRecentMessages);
  std::reverse(recent.begin(), recent.end());
  std::optional<std::vector<MessageRow>> missed;
  if (last_message_id) missed = store_.messages_after(id, *last_message_id, kMaxMissed);
  auto online = live_.online(id);
  // Online on another node already (or in another tab here): no user_joined.
  bool elsewhere = !online.insert(user.id).second;
  auto me = store_.participant(id, user.id);
  Room::Member fallback{user.username, me ? me->role : "participant", me && me->is_muted};

  std::string role;
  bool first = false;
  for (;;) {
    std::unique_lock lock(room->mu);
    if (room_if_loaded(id) != room) {
      // The last member left meanwhile and the room was let go: take the current one.
      lock.unlock();
      room = load_room(id);
      continue;
    }
    auto [it, added] = room->members.emplace(user.id, fallback);
    if (added) room->publish();
    role = it->second.role;
    json::array people;
    for (auto& p : participants) people.push_back(participant_json(p, online.count(p.user_id) > 0));
    json::object state{{"type", "party_state"},
                       {"party", party_json(*party)},
                       {"participants", std::move(people)},
                       {"playback", room->playback.to_json()},
                       {"recent_messages", messages_json(recent)},
                       {"you", {{"user_id", user.id}, {"role", role}}},
                       {"server_time", now_ms_precise()}};
    if (missed) state["missed_messages"] = messages_json(*missed);
    // Joining and queueing the state together: no broadcast can overtake it,
    // and no playback change (adopted under this lock) can fall between them.
    first = hub_.join(id, {conn, user.id, user.session_id}, realtime::make_message(message_text(state))) == 1;
    break;
  }
  if (first) {
    live_.set_online(id, user.id, true);
    if (!elsewhere) {
      long long members = 0;
      {
        std::lock_guard lock(room->mu);
        members = static_cast<long long>(room->members.size());
      }
      broadcast(id, {{"type", "user_joined"},
                     {"user", {{"id", user.id}, {"username", user.username}, {"role", role}}},
                     {"participant_count", members},
                     {"online_count", static_cast<long long>(online.size())}});
    }
  }
  return room;
}

void PartiesService::disconnect(const std::shared_ptr<Room>& room, const std::string& user_id,
                                const std::shared_ptr<realtime::Connection>& conn) {
  const std::string& id = room->id;
  if (hub_.leave(id, conn) > 0) return;
  // The room is let go once this node has nobody in it, even when the shared state is unreachable.
  auto unload_if_empty = [&] {
    std::lock_guard lock(rooms_mu_);
    if (hub_.online_users(id).empty() && rooms_.erase(id)) live_.forget(id);
  };
  try {
    live_.set_online(id, user_id, false);
    auto online = live_.online(id);
    if (!online.count(user_id)) {
      std::string username;
      {
        std::lock_guard lock(room->mu);
        if (auto it = room->members.find(user_id); it != room->members.end()) username = it->second.username;
      }
      user_gone(room, user_id, username);
    }
    if (online.empty())
      // Nobody is watching anywhere: hold the party still.
      update_playback(room, "", [](const Room&, Playback& pb) { return pause(pb); });
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

// A user has no socket left in the party on any node.
void PartiesService::user_gone(const std::shared_ptr<Room>& room, const std::string& user_id,
                               const std::string& username) {
  const std::string& id = room->id;
  // A disconnected member is never waited for.
  auto [was_waited_for, still_waiting] = live_.set_buffering(id, user_id, false);
  if (was_waited_for && still_waiting == 0) resume_after_wait(room);
  long long members = 0;
  {
    std::lock_guard lock(room->mu);
    members = static_cast<long long>(room->members.size());
  }
  broadcast(id, {{"type", "user_left"},
                 {"user", {{"id", user_id}, {"username", username}}},
                 {"participant_count", members},
                 {"online_count", static_cast<long long>(live_.online(id).size())}});
}

void PartiesService::control(const std::shared_ptr<Room>& room, const std::string& user_id, const ControlInput& in) {
  if (in.action == "seek" && !in.position) refuse(ErrorCode::validation, "invalid_message", "seek needs a position.");
  if (in.action == "rate" && !in.rate) refuse(ErrorCode::validation, "invalid_message", "rate needs a rate.");
  if (in.action != "play" && in.action != "pause" && in.action != "seek" && in.action != "rate")
    refuse(ErrorCode::validation, "invalid_message", "action must be play, pause, seek or rate.");
  const double lead = config_.play_lead_ms;
  update_playback(room, user_id, [&](const Room& r, Playback& pb) {
    if (r.party.status == "ended") refuse(ErrorCode::forbidden, "party_ended", "The party has ended.");
    auto it = r.members.find(user_id);
    if (it == r.members.end()) refuse(ErrorCode::forbidden, "not_allowed", "You are not a participant of this party.");
    const auto& role = it->second.role;
    bool allowed = role == "host" || (role == "moderator" && r.settings.control != "host_only") ||
                   r.settings.control == "everyone";
    if (!allowed) refuse(ErrorCode::forbidden, "not_allowed", "You may not control playback in this party.");
    if (in.version && *in.version < pb.version)
      refuse(ErrorCode::conflict, "stale_version", "Your playback state is out of date.");
    double now = now_ms_precise();
    if (in.action == "play") {
      pb.position = in.position ? *in.position : pb.expected_position(now);
      pb.status = "playing";
      pb.anchor = now + lead;
    } else if (in.action == "pause") {
      pb.position = in.position ? *in.position : pb.expected_position(now);
      pb.status = "paused";
      pb.anchor = now;
    } else if (in.action == "seek") {
      pb.position = *in.position;
      // A waiting party keeps the time its wait began: the buffering timeout counts from there.
      if (pb.status != "waiting") pb.anchor = pb.status == "playing" ? now + lead : now;
    } else {
      pb.position = pb.expected_position(now);
      if (pb.status != "waiting") pb.anchor = pb.status == "playing" ? now + lead : now;
      pb.rate = *in.rate;
    }
    return true;
  });
  // An explicit play or pause ends any wait.
  if (in.action == "play" || in.action == "pause") live_.clear_buffering(room->id);
}

void PartiesService::buffering(const std::shared_ptr<Room>& room, const std::string& user_id, bool is_buffering) {
  const std::string& id = room->id;
  bool wait = false;
  std::optional<std::string> video;
  double position = 0;
  {
    std::lock_guard lock(room->mu);
    if (!room->members.count(user_id)) return;
    wait = !is_buffering || (room->settings.wait_for_buffering &&
                             (room->playback.status == "playing" || room->playback.status == "waiting"));
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
      if (pb.status != "playing") return false;
      double now = now_ms_precise();
      pb.position = pb.expected_position(now);
      pb.status = "waiting";
      pb.anchor = now;  // when the wait began: every node times it out from here
      return true;
    });
  }
  // Counted whether or not the party waits: it is this viewer's buffering.
  if (is_buffering) record_watch(video, id, user_id, position, true);
}

void PartiesService::resume_after_wait(const std::shared_ptr<Room>& room) {
  const double lead = config_.play_lead_ms;
  if (update_playback(room, "", [lead](const Room&, Playback& pb) {
        if (pb.status != "waiting") return false;
        pb.status = "playing";
        pb.anchor = now_ms_precise() + lead;
        return true;
      }))
    live_.clear_buffering(room->id);
}

void PartiesService::tick() {
  writer_.retry();
  refresh_stale_rooms();
  if (resync_requested_.exchange(false)) {
    try {
      resync();
    } catch (const Error& e) {
      resync_requested_ = true;  // Redis went away again: the next tick tries again
      throw;
    }
  }
  std::vector<std::shared_ptr<Room>> rooms;
  {
    std::lock_guard lock(rooms_mu_);
    for (auto& [id, r] : rooms_) rooms.push_back(r);
  }
  auto now = now_ms();
  for (auto& room : rooms) {
    bool timed_out = false;
    {
      std::lock_guard lock(room->mu);
      timed_out = room->playback.status == "waiting" && now - room->playback.anchor >= config_.buffering_timeout_ms;
    }
    if (timed_out) {
      spdlog::info("party {}: buffering wait timed out", room->id);
      resume_after_wait(room);
    }
  }
  if (now - last_presence_ms_ < config_.presence_ttl_s * 1000 / 3) return;
  last_presence_ms_ = now;
  for (auto& [id, users] : live_.renew_presence(hub_.local_rooms())) {
    auto room = room_if_loaded(id);
    if (!room) continue;
    for (auto& user_id : users) {
      std::string username;
      {
        std::lock_guard lock(room->mu);
        if (auto it = room->members.find(user_id); it != room->members.end()) username = it->second.username;
      }
      spdlog::info("party {}: {} left with a node that stopped answering", id, user_id);
      user_gone(room, user_id, username);
    }
  }
}

void PartiesService::resync() {
  std::vector<std::shared_ptr<Room>> rooms;
  {
    std::lock_guard lock(rooms_mu_);
    for (auto& [id, r] : rooms_) rooms.push_back(r);
  }
  for (auto& room : rooms) {
    const std::string& id = room->id;
    auto shared = live_.playback(id);
    Playback mine;
    {
      std::lock_guard lock(room->mu);
      if (shared) adopt(*room, parse_playback(*shared));
      mine = room->playback;
    }
    auto text = message_text({{"type", "playback_state"}, {"playback", mine.to_json()}});
    if (!shared)
      // The shared copy was lost (Redis restarted empty): ours becomes it, and every node re-sends it.
      live_.swap_playback(id, mine.version, mine.version, json::serialize(mine.to_json()), text);
    else
      hub_.deliver_local(id, realtime::make_message(text));
  }
  last_presence_ms_ = 0;  // renew presence on the next tick
}

void PartiesService::typing(const std::shared_ptr<Room>& room, const std::string& user_id, bool is_typing) {
  auto view = room->view();
  auto it = view.usernames->find(user_id);
  if (it == view.usernames->end()) return;
  broadcast(room->id, {{"type", "typing"}, {"user", user_ref(user_id, it->second)}, {"is_typing", is_typing}});
}

bool PartiesService::party_member_may_view(const std::string& user_id, const std::string& video_id) {
  return store_.member_of_party_playing(user_id, video_id);
}

bool PartiesService::is_party_member(const std::string& user_id, const std::string& party_id) {
  auto m = store_.participant(party_id, user_id);
  // Not someone whose request is pending or was rejected (they never watched with the party).
  return m && !m->is_banned && m->join_request == "none";
}

}  // namespace wp::parties
