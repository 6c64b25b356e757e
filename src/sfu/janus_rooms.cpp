#include "sfu/janus_rooms.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <set>

#include "core/error.hpp"
#include "sfu/janus_passes.hpp"

namespace wp::sfu {

namespace json = boost::json;

namespace {

constexpr int kRoomIdAttempts = 5;

// Janus failures become the one error callers know: the SFU is unavailable.
template <class F>
auto guarded(std::string_view what, F&& f) {
  try {
    return f();
  } catch (const JanusError& e) {
    spdlog::warn("janus: {}: error {}: {}", what, e.code, e.what());
  } catch (const JanusBroken& e) {
    spdlog::warn("janus: {}: {}", what, e.what());
  }
  throw Error(ErrorCode::unavailable, "The media server (Janus) is unavailable.");
}

json::array plugins_of(SfuKind kind) { return json::array{plugin_of(kind).package}; }

}  // namespace

JanusRooms::JanusRooms(std::unique_ptr<JanusClient> client, std::string key)
    : client_(std::move(client)), key_(std::move(key)) {}

SfuRoom JanusRooms::create_room(const std::string& party_id, SfuKind kind) {
  return guarded("create room", [&] {
    for (int attempt = 1;; ++attempt) {
      SfuRoom room{kind, random_room_id()};
      try {
        client_->plugin_request(kind, create_room_body(kind, room.id, room_secret(key_, room), "party " + party_id));
        return room;
      } catch (const JanusError& e) {
        if (e.code != plugin_of(kind).room_exists || attempt == kRoomIdAttempts) throw;
      }
    }
  });
}

SfuPass JanusRooms::allow(const SfuRoom& room, const std::string& user_id) {
  SfuPass pass{new_token(room, user_id), participant_id(key_, room, user_id)};
  bool room_gone = guarded("allow", [&] {
    client_->admin("add_token", {{"token", pass.token}, {"plugins", plugins_of(room.kind)}});
    try {
      client_->plugin_request(room.kind, allowed_body(room.id, room_secret(key_, room), "add", {pass.token}));
      return false;
    } catch (const JanusError& e) {
      if (e.code != plugin_of(room.kind).no_such_room) throw;
    }
    revoke(room, {pass.token});
    return true;
  });
  if (room_gone) throw_not_found("The call's media room no longer exists.");
  return pass;
}

void JanusRooms::kick(const SfuRoom& room, const std::string& user_id) {
  guarded("kick", [&] {
    // First the tokens, so that nothing of theirs is admitted again; then
    // their participant; then anyone who joined under an id not ours.
    revoke(room, tokens_of(token_prefix(room, user_id)));
    put_out(room, participant_id(key_, room, user_id));
    put_out_strangers(room);
  });
}

void JanusRooms::destroy(const SfuRoom& room) {
  guarded("destroy", [&] {
    try {
      client_->plugin_request(room.kind, destroy_body(room.id, room_secret(key_, room)));
    } catch (const JanusError& e) {
      if (e.code != plugin_of(room.kind).no_such_room) throw;
    }
    for (auto& token : tokens_of(token_prefix(room))) {
      try {
        client_->admin("remove_token", {{"token", token}});
      } catch (const JanusError&) {
        // Removed meanwhile (a kick on another node): gone is what we want.
      }
    }
  });
}

bool JanusRooms::exists(const SfuRoom& room) {
  return guarded("exists", [&] { return read_exists(client_->plugin_request(room.kind, exists_body(room.id))); });
}

void JanusRooms::set_muted(const SfuRoom& room, const std::string& user_id, bool muted) {
  if (room.kind != SfuKind::audio) throw Error(ErrorCode::internal, "Only a voice room mixes: " + room_ref(room));
  guarded(muted ? "mute" : "unmute", [&] { mute(room, participant_id(key_, room, user_id), muted); });
}

std::vector<std::string> JanusRooms::hold_muted(const SfuRoom& room, const std::vector<std::string>& user_ids) {
  if (room.kind != SfuKind::audio) throw Error(ErrorCode::internal, "Only a voice room mixes: " + room_ref(room));
  return guarded("hold muted", [&] {
    std::vector<std::string> muted_again;
    if (user_ids.empty()) return muted_again;
    std::vector<JanusParticipant> present;
    try {
      present = read_participants(client_->plugin_request(room.kind, participants_body(room.id)));
    } catch (const JanusError& e) {
      if (e.code == plugin_of(room.kind).no_such_room) return muted_again;
      throw;
    }
    for (auto& user : user_ids) {
      auto id = participant_id(key_, room, user);
      bool loud = std::any_of(present.begin(), present.end(),
                              [&](const JanusParticipant& p) { return p.id == id && !p.muted; });
      if (loud && mute(room, id, true)) muted_again.push_back(user);
    }
    return muted_again;
  });
}

std::uint64_t JanusRooms::participant_of(const SfuRoom& room, const std::string& user_id) const {
  return participant_id(key_, room, user_id);
}

bool JanusRooms::keepalive() {
  guarded("keepalive", [&] { client_->keepalive(); });
  auto made = client_->sessions_made();
  bool renewed = made != sessions_seen_;
  sessions_seen_ = made;
  return renewed;
}

std::vector<std::string> JanusRooms::tokens_of(const std::string& prefix) {
  auto all = read_tokens(client_->admin("list_tokens"));
  std::vector<std::string> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const std::string& t) { return t.compare(0, prefix.size(), prefix) == 0; });
  return out;
}

void JanusRooms::revoke(const SfuRoom& room, const std::vector<std::string>& tokens) {
  if (tokens.empty()) return;
  for (auto& token : tokens) {
    try {
      client_->admin("remove_token", {{"token", token}});
    } catch (const JanusError&) {
      // Already removed (a concurrent kick or destroy).
    }
  }
  try {
    client_->plugin_request(room.kind, allowed_body(room.id, room_secret(key_, room), "remove", tokens));
  } catch (const JanusError& e) {
    if (e.code != plugin_of(room.kind).no_such_room) throw;
  }
}

void JanusRooms::put_out(const SfuRoom& room, std::uint64_t participant) {
  try {
    client_->plugin_request(room.kind, kick_body(room.id, room_secret(key_, room), participant));
  } catch (const JanusError& e) {
    auto& p = plugin_of(room.kind);
    if (e.code != p.no_such_participant && e.code != p.no_such_room) throw;
  }
}

bool JanusRooms::mute(const SfuRoom& room, std::uint64_t participant, bool muted) {
  try {
    client_->plugin_request(room.kind, mute_body(room.id, room_secret(key_, room), participant, muted));
    return true;
  } catch (const JanusError& e) {
    auto& p = plugin_of(room.kind);
    if (e.code != p.no_such_participant && e.code != p.no_such_room) throw;
    return false;
  }
}

// A member joins with the participant id of their pass, but Janus cannot
// make them: whoever is in the room under an id that no token holder of the
// room owns is put out.
void JanusRooms::put_out_strangers(const SfuRoom& room) {
  std::vector<std::uint64_t> present;
  try {
    present = read_participant_ids(client_->plugin_request(room.kind, participants_body(room.id)));
  } catch (const JanusError& e) {
    if (e.code == plugin_of(room.kind).no_such_room) return;
    throw;
  }
  if (present.empty()) return;
  std::set<std::uint64_t> owned;
  for (auto& token : tokens_of(token_prefix(room)))
    if (auto user = token_user(room, token)) owned.insert(participant_id(key_, room, *user));
  for (auto id : present)
    if (!owned.contains(id)) put_out(room, id);
}

}  // namespace wp::sfu
