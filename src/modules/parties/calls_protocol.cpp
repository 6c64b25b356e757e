#include "modules/parties/calls_protocol.hpp"

#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "http/json.hpp"
#include "modules/parties/dto.hpp"
#include "modules/parties/model.hpp"

namespace wp::parties::protocol {

namespace json = boost::json;

namespace {

[[noreturn]] void invalid(const std::string& why) { throw PartyError(ErrorCode::validation, "invalid_message", why); }

const json::value* field(const json::object& msg, const char* name) { return msg.if_contains(name); }

}  // namespace

json::object call_member_json(const CallMemberRow& m) {
  json::object o{{"user", user_ref(m.user_id, m.username)},
                 {"joined_at", to_rfc3339(m.joined_at)},
                 {"muted", m.muted},
                 {"deafened", m.deafened},
                 {"server_muted", m.server_muted}};
  if (m.sfu_participant_id) o["participant_id"] = *m.sfu_participant_id;
  return o;
}

json::object share_json(const ScreenShareRow& s) {
  return {{"id", s.id},
          {"user", user_ref(s.user_id, s.username)},
          {"kind", to_string(s.kind)},
          {"started_at", to_rfc3339(s.started_at)},
          {"ended_at", http::time_or_null(s.ended_at)},
          {"ended_by", s.ended_by ? json::value(*s.ended_by) : json::value(nullptr)}};
}

json::object sfu_json(const SfuAccess& a) {
  auto pass = [](const SfuTicket& t) {
    return json::object{{"room", t.room}, {"token", t.token}, {"participant_id", t.participant_id}};
  };
  return {{"url", a.url}, {"audio", pass(a.audio)}, {"video", pass(a.video)}};
}

std::string voice_state(const CallSnapshot& c) {
  json::array members;
  for (auto& m : c.members) members.push_back(call_member_json(m));
  return json::serialize(json::object{{"type", "voice_state"},
                                      {"party_id", c.chat.party_id},
                                      {"version", c.chat.version},
                                      {"open", c.chat.open()},
                                      {"mode", to_string(c.chat.mode())},
                                      {"members", std::move(members)}});
}

std::string screen_share_state(const CallSnapshot& c, int max_sharers) {
  json::array shares;
  for (auto& s : c.shares) shares.push_back(share_json(s));
  return json::serialize(json::object{{"type", "screen_share_state"},
                                      {"party_id", c.chat.party_id},
                                      {"version", c.chat.version},
                                      {"max_sharers", max_sharers},
                                      {"shares", std::move(shares)}});
}

std::string call_sfu(const std::string& party_id, const SfuAccess& a) {
  return json::serialize(json::object{{"type", "call_sfu"}, {"party_id", party_id}, {"sfu", sfu_json(a)}});
}

std::string call_ended(const std::string& party_id, CallEndReason reason) {
  return json::serialize(json::object{{"type", "call_ended"}, {"party_id", party_id}, {"reason", to_string(reason)}});
}

Signal parse_signal(const std::string& type, const json::object& msg, std::size_t max_bytes) {
  Signal s;
  auto t = parse_enum<SignalType>(type);
  if (!t) invalid("Unknown signaling type: " + type);
  s.type = *t;
  auto to = field(msg, "to");
  if (!to || !to->is_string() || to->as_string().empty() || to->as_string().size() > 64)
    invalid(type + " needs `to`: the user id of a call member.");
  s.to = std::string(to->as_string());
  if (s.type == SignalType::rtc_ice) {
    auto c = field(msg, "candidate");
    // null (or absent) ends the candidates; otherwise an RTCIceCandidateInit object.
    if (c && !c->is_null() && !c->is_object()) invalid("rtc_ice needs `candidate`: an object or null.");
    s.payload["candidate"] = c ? *c : json::value(nullptr);
  } else {
    auto sdp = field(msg, "sdp");
    if (!sdp || !sdp->is_string() || sdp->as_string().empty()) invalid(type + " needs `sdp`: the session description.");
    s.payload["sdp"] = *sdp;
  }
  if (json::serialize(s.payload).size() > max_bytes)
    throw PartyError(ErrorCode::payload_too_large, "message_too_large",
                     type + " is larger than " + std::to_string(max_bytes) + " bytes.");
  return s;
}

std::string relayed_signal(const Signal& s, const std::string& from, const std::string& from_username) {
  json::object out{{"type", to_string(s.type)}, {"from", user_ref(from, from_username)}};
  for (auto& [k, v] : s.payload) out[k] = v;
  return json::serialize(out);
}

}  // namespace wp::parties::protocol
