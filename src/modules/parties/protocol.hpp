#pragma once
// The realtime wire protocol of a party (docs/realtime.md): every message
// the server sends over a party socket is built here, and every message a
// client sends is parsed here.
#include <boost/json/object.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "modules/parties/model.hpp"

namespace wp::parties::protocol {

// The playback object (also the shape of the durable and the shared copy).
boost::json::object playback_json(const Playback& pb);
Playback playback_from(const boost::json::object& o);
Playback parse_playback(const std::string& json_text);

// ---- server -> client ----
std::string playback_state(const Playback& pb);
// The playback a playback_state message carries; nullopt for any other message.
std::optional<Playback> playback_in(const std::string& message);
// The id of the message a chat_message carries; nullopt for any other message.
std::optional<std::string> chat_message_id(const std::string& message);
// Whether the message tells of a change to who is in the party or in which role
// (user_joined, user_left, participant_updated, party_updated).
bool changes_roster(const std::string& message);

// party_state lists at most this many participants (docs/realtime.md): what a member list shows
// first. In a big room the whole list in every joiner's state made filling it cost N² rows.
inline constexpr int kStateParticipants = 100;
struct PartyState {
  const PartyRow& party;
  const std::vector<ParticipantRow>& participants;  // at most kStateParticipants
  bool participants_complete;                       // false: the REST list has more
  const std::set<std::string>& online;  // those of `participants` online, on any node
  long long online_count;               // everyone online in the party, on any node
  const Playback& playback;
  const std::vector<MessageRow>& recent;  // oldest first
  const std::optional<std::vector<MessageRow>>& missed;
  const std::string& user_id;
  Role role;
};
std::string party_state(const PartyState& s);
std::string pong(std::optional<double> client_time);
std::string user_joined(const std::string& user_id, const std::string& username, Role role,
                        long long participant_count, long long online_count);
std::string user_left(const std::string& user_id, const std::string& username, long long participant_count,
                      long long online_count);
// Big rooms (docs/realtime.md): the counts instead of each user_joined and user_left.
std::string presence_counts(long long participant_count, long long online_count);
std::string participant_updated(const std::string& user_id, const std::string& username, Role role, bool muted);
std::string party_updated(const PartyRow& party);
std::string typing(const std::string& user_id, const std::string& username, bool is_typing);
std::string chat_message(const MessageRow& m);
std::string reaction(const ReactionRow& r);
std::string join_request(const std::string& user_id, const std::string& username, std::int64_t requested_at);
std::string error(const std::string& code, const std::string& message, std::optional<int> retry_after = {});

// ---- client -> server ----
struct ClientMessage {
  std::string type;  // ping video_control buffering ready chat_message reaction typing sync_request
  std::optional<double> client_time;  // ping
  ControlInput control;               // video_control
  bool is_typing = false;             // typing
  std::string content;                // chat_message
  std::string emoji;                  // reaction
  double video_timestamp = 0;         // reaction
  double drift_ms = 0;                // sync_report
  boost::json::object body;           // rtc_offer rtc_answer rtc_ice: checked by the calls service
};
// A message the client got wrong: `code` is the `error` code to answer with.
struct Invalid {
  std::string code, message;
};
// Parses one text frame; throws Invalid (invalid_json, invalid_message, unknown_type).
ClientMessage parse_client_message(const std::string& text);

}  // namespace wp::parties::protocol
