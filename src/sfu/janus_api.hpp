#pragma once
// The JSON of Janus's HTTP API (https://janus.conf.meetecho.com/docs/rest.html)
// as far as watchparty speaks it: the requests it sends and how it reads the
// answers. Pure functions, no network: tests/unit/sfu_janus_test.cpp checks
// every shape against what Janus 1.1 (Debian 12) sends and expects.
#include <boost/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/sfu.hpp"

namespace wp::sfu {

// Janus's own error codes that the client acts on (janus/apierror.h).
inline constexpr int kJanusUnauthorized = 403;
inline constexpr int kJanusNoSuchSession = 458;
inline constexpr int kJanusNoSuchHandle = 459;

// The plugin of each kind, and the plugin error codes the client acts on
// (audiobridge.c and videoroom.c number them differently).
struct PluginInfo {
  std::string_view package;    // "janus.plugin.audiobridge"
  std::string_view key;        // the plugindata.data field naming the answer: "audiobridge"
  int no_such_room;
  int room_exists;
  int no_such_participant;
};
const PluginInfo& plugin_of(SfuKind kind);

// Who is talking in an AudioBridge room: Janus averages each participant's
// audio level (0 is the loudest, 127 silence: -dBov) over this many packets
// (of 20 ms) and calls them talking when the average is below the threshold.
inline constexpr int kTalkingPackets = 50;    // 1 s: marks come and go within a second, no flicker between words
inline constexpr int kTalkingLevel = 55;      // louder than -55 dBov on average: speech, not a quiet room's noise

// A Janus-level "error" answer, or a plugin's error_code.
struct JanusError : std::runtime_error {
  JanusError(int code, const std::string& reason) : std::runtime_error(reason), code(code) {}
  int code;
};

// The answer was not Janus's (no answer, not JSON, not what was asked).
struct JanusBroken : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// How the server authenticates: the API secret for the Janus API, the admin
// secret for the admin API.
struct JanusAuth {
  std::string api_secret;
  std::string admin_secret;
};

// {"janus": verb, "transaction": <random>, "apisecret": ...}
boost::json::object janus_request(std::string_view verb, const JanusAuth& auth);
boost::json::object attach_request(SfuKind kind, const JanusAuth& auth);
// {"janus": "message", "body": body}: a plugin request on a handle.
boost::json::object message_request(boost::json::object body, const JanusAuth& auth);
// An admin API request: {"janus": verb, "transaction", "admin_secret", ...fields}.
boost::json::object admin_request(std::string_view verb, const JanusAuth& auth, boost::json::object fields = {});

// The plugin bodies. Rooms are private (not listed), not permanent (never
// written to the plugin's config file), and check the "allowed" token list
// from the start (an empty list admits nobody). An AudioBridge room tells its
// participants who is talking ("talking" / "stopped-talking" events, from the
// audio level that browsers put in every RTP packet).
boost::json::object create_room_body(SfuKind kind, std::uint64_t room, const std::string& secret,
                                     const std::string& description);
boost::json::object allowed_body(std::uint64_t room, const std::string& secret, std::string_view action,
                                 const std::vector<std::string>& tokens);  // action: "add" or "remove"
boost::json::object kick_body(std::uint64_t room, const std::string& secret, std::uint64_t participant);
boost::json::object destroy_body(std::uint64_t room, const std::string& secret);
// AudioBridge "mute" / "unmute" of one participant (a moderator's mute: it
// silences them in the mix; Janus tells the room's participants).
boost::json::object mute_body(std::uint64_t room, const std::string& secret, std::uint64_t participant, bool muted);
boost::json::object participants_body(std::uint64_t room);
boost::json::object exists_body(std::uint64_t room);

// The answer's JSON object; JanusError for {"janus": "error"}, JanusBroken
// when there is no usable answer.
boost::json::object read_answer(int http_status, const std::string& body, const std::string& transport_error);
// data.id of a "success" answer (create, attach).
std::uint64_t read_id(const boost::json::object& answer);
// plugindata.data of a plugin's synchronous answer; JanusError for its error_code.
boost::json::object read_plugin_data(const boost::json::object& answer, SfuKind kind);
// participants[].id of a listparticipants answer.
std::vector<std::uint64_t> read_participant_ids(const boost::json::object& data);
// participants[] of an AudioBridge listparticipants answer: id and muted.
struct JanusParticipant {
  std::uint64_t id = 0;
  bool muted = false;
};
std::vector<JanusParticipant> read_participants(const boost::json::object& data);
// The "exists" flag of an exists answer.
bool read_exists(const boost::json::object& data);
// data.tokens[].token of a list_tokens answer.
std::vector<std::string> read_tokens(const boost::json::object& answer);

}  // namespace wp::sfu
