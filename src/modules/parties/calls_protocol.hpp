#pragma once
// The voice chat and screen share messages of the party socket
// (docs/realtime.md, "Voice chat and screen share") and their JSON shapes,
// also used by REST: every one built here, and the signaling a client sends
// parsed here.
#include <boost/json/object.hpp>

#include <cstddef>
#include <string>

#include "modules/parties/calls_model.hpp"

namespace wp::parties::protocol {

boost::json::object call_member_json(const CallMemberRow& m);
boost::json::object share_json(const ScreenShareRow& s);
boost::json::object sfu_json(const SfuAccess& a);

// ---- server -> client ----
std::string voice_state(const CallSnapshot& c);
std::string screen_share_state(const CallSnapshot& c, int max_sharers);
// To one member: the SFU rooms and their tokens (the call went beyond the mesh).
std::string call_sfu(const std::string& party_id, const SfuAccess& a);
// The call ended without its members leaving (to the party), or ended for one member (to them).
std::string call_ended(const std::string& party_id, CallEndReason reason);

// ---- client -> server: rtc_offer, rtc_answer, rtc_ice ----
struct Signal {
  SignalType type = SignalType::rtc_offer;
  std::string to;
  boost::json::object payload;  // sdp (offer, answer) or candidate (ice)
};
// Throws PartyError: invalid_message (fields), message_too_large (over max_bytes of payload).
Signal parse_signal(const std::string& type, const boost::json::object& msg, std::size_t max_bytes);
// What the addressee receives: the payload with the sender.
std::string relayed_signal(const Signal& s, const std::string& from, const std::string& from_username);

}  // namespace wp::parties::protocol
