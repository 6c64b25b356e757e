#include "modules/parties/protocol.hpp"

#include <boost/json.hpp>

#include <array>

#include "core/clock.hpp"
#include "core/json_input.hpp"
#include "modules/parties/dto.hpp"

namespace wp::parties::protocol {

namespace json = boost::json;

namespace {

std::string text(const json::object& o) { return json::serialize(o); }

json::value id_or_null(const std::string& id) { return id.empty() ? json::value(nullptr) : json::value(id); }

std::optional<double> number(const json::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::optional<std::string> string_field(const json::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

}  // namespace

json::object playback_json(const Playback& pb) {
  return {{"status", to_string(pb.status)},   {"position", pb.position},       {"rate", pb.rate},
          {"anchor_server_time", pb.anchor}, {"version", pb.version}, {"video_id", id_or_null(pb.video_id)},
          {"set_by", id_or_null(pb.set_by)}};
}

Playback playback_from(const json::object& o) {
  Playback p;
  if (auto v = string_field(o, "status")) p.status = parse_enum<PlaybackStatus>(*v).value_or(PlaybackStatus::paused);
  if (auto v = number(o, "position")) p.position = *v;
  if (auto v = number(o, "rate")) p.rate = *v;
  if (auto v = number(o, "anchor_server_time")) p.anchor = *v;
  if (auto v = o.if_contains("version"); v && v->is_number()) p.version = v->to_number<long long>();
  if (auto v = string_field(o, "set_by")) p.set_by = *v;
  if (auto v = string_field(o, "video_id")) p.video_id = *v;
  return p;
}

Playback parse_playback(const std::string& json_text) { return playback_from(stored_object(json_text)); }

std::string playback_state(const Playback& pb) { return text({{"type", "playback_state"}, {"playback", playback_json(pb)}}); }

std::optional<Playback> playback_in(const std::string& message) {
  // Cheap first: the tap sees every room message.
  static constexpr std::string_view kPrefix = R"({"type":"playback_state")";
  if (message.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  auto o = stored_object(message);
  auto pb = o.if_contains("playback");
  if (!pb || !pb->is_object()) return std::nullopt;
  return playback_from(pb->as_object());
}

std::optional<std::string> chat_message_id(const std::string& message) {
  static constexpr std::string_view kPrefix = R"({"type":"chat_message")";
  if (message.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  auto o = stored_object(message);
  auto m = o.if_contains("message");
  auto id = m && m->is_object() ? m->as_object().if_contains("id") : nullptr;
  if (!id || !id->is_string()) return std::nullopt;
  return std::string(id->as_string());
}

bool changes_roster(const std::string& message) {
  static constexpr std::string_view kType = R"({"type":")";
  if (message.compare(0, kType.size(), kType) != 0) return false;
  auto type = std::string_view(message).substr(kType.size());
  for (std::string_view t : {"user_joined\"", "user_left\"", "participant_updated\"", "party_updated\""})
    if (type.starts_with(t)) return true;
  return false;
}

std::string party_state(const PartyState& s) {
  json::object state{{"type", "party_state"},
                     {"party", party_json(s.party)},
                     {"participants_complete", s.participants_complete},
                     {"online_count", s.online_count},
                     {"playback", playback_json(s.playback)},
                     {"recent_messages", messages_json(s.recent)},
                     {"you", {{"user_id", s.user_id}, {"role", to_string(s.role)}}},
                     {"server_time", now_ms_precise()}};
  if (s.missed) state["missed_messages"] = messages_json(*s.missed);
  // The participants go in as text, written directly (dto.hpp, append_participant_text).
  std::string out = text(state);
  out.pop_back();  // the closing brace
  out += R"(,"participants":[)";
  for (std::size_t i = 0; i < s.participants.size(); ++i) {
    if (i > 0) out += ',';
    append_participant_text(out, s.participants[i], s.online.count(s.participants[i].user_id) > 0);
  }
  out += "]}";
  return out;
}

std::string pong(std::optional<double> client_time) {
  json::object o{{"type", "pong"}, {"server_time", now_ms_precise()}};
  o["client_time"] = client_time ? json::value(*client_time) : json::value(nullptr);
  return text(o);
}

std::string user_joined(const std::string& user_id, const std::string& username, Role role,
                        long long participant_count, long long online_count) {
  return text({{"type", "user_joined"},
               {"user", {{"id", user_id}, {"username", username}, {"role", to_string(role)}}},
               {"participant_count", participant_count},
               {"online_count", online_count}});
}

std::string user_left(const std::string& user_id, const std::string& username, long long participant_count,
                      long long online_count) {
  return text({{"type", "user_left"},
               {"user", user_ref(user_id, username)},
               {"participant_count", participant_count},
               {"online_count", online_count}});
}

std::string presence_counts(long long participant_count, long long online_count) {
  return text({{"type", "presence_counts"}, {"participant_count", participant_count}, {"online_count", online_count}});
}

std::string participant_updated(const std::string& user_id, const std::string& username, Role role, bool muted) {
  return text({{"type", "participant_updated"},
               {"user", {{"id", user_id}, {"username", username}, {"role", to_string(role)}, {"is_muted", muted}}}});
}

std::string party_updated(const PartyRow& party) { return text({{"type", "party_updated"}, {"party", party_json(party)}}); }

std::string typing(const std::string& user_id, const std::string& username, bool is_typing) {
  return text({{"type", "typing"}, {"user", user_ref(user_id, username)}, {"is_typing", is_typing}});
}

std::string chat_message(const MessageRow& m) { return text({{"type", "chat_message"}, {"message", message_json(m)}}); }

std::string reaction(const ReactionRow& r) { return text({{"type", "reaction"}, {"reaction", reaction_json(r)}}); }

std::string join_request(const std::string& user_id, const std::string& username, std::int64_t requested_at) {
  return text({{"type", "join_request"}, {"user", user_ref(user_id, username)}, {"requested_at", to_rfc3339(requested_at)}});
}

std::string error(const std::string& code, const std::string& message, std::optional<int> retry_after) {
  json::object e{{"type", "error"}, {"code", code}, {"message", message}};
  if (retry_after) e["retry_after"] = *retry_after;
  return text(e);
}

namespace {

// The top-level fields of every client message but the signals, read by one
// scan of the frame (core/json_input.hpp) instead of a parsed document.
enum Field { f_type, f_content, f_client_time, f_is_typing, f_emoji, f_video_timestamp, f_drift_ms, f_action,
             f_position, f_rate, f_version, f_count };
using Fields = std::array<JsonField, f_count>;

std::optional<double> number(const JsonField& f) {
  return f.kind == JsonField::Kind::number ? std::optional<double>(f.number) : std::nullopt;
}

const std::string* string_of(const JsonField& f) { return f.kind == JsonField::Kind::string ? &f.text : nullptr; }

ControlInput parse_control(const Fields& f) {
  ControlInput in;
  auto* action_text = string_of(f[f_action]);
  auto action = parse_enum<ControlAction>(action_text ? *action_text : std::string());
  if (!action) throw Invalid{"invalid_message", "action must be one of " + enum_choices<ControlAction>() + "."};
  in.action = *action;
  in.position = number(f[f_position]);
  in.rate = number(f[f_rate]);
  if (auto v = number(f[f_version])) in.version = static_cast<long long>(*v);
  if (in.position && (*in.position < 0 || *in.position > 1e7))
    throw Invalid{"invalid_message", "position must be between 0 and 10^7 seconds."};
  if (in.rate && (*in.rate < 0.25 || *in.rate > 4)) throw Invalid{"invalid_message", "rate must be 0.25 to 4."};
  return in;
}

}  // namespace

ClientMessage parse_client_message(const std::string& frame) {
  Fields f{JsonField{.key = "type"},     JsonField{.key = "content"},         JsonField{.key = "client_time"},
           JsonField{.key = "is_typing"}, JsonField{.key = "emoji"},          JsonField{.key = "video_timestamp"},
           JsonField{.key = "drift_ms"}, JsonField{.key = "action"},          JsonField{.key = "position"},
           JsonField{.key = "rate"},     JsonField{.key = "version"}};
  if (!scan_client_object(frame, f)) throw Invalid{"invalid_json", "Messages must be JSON objects."};
  auto* type = string_of(f[f_type]);
  if (!type) throw Invalid{"invalid_message", "Every message needs a type."};
  ClientMessage out;
  if (*type == "chat_message") {
    auto* content = string_of(f[f_content]);
    if (!content) throw Invalid{"invalid_message", "chat_message needs content."};
    out.content = std::move(f[f_content].text);
  } else if (*type == "ping") {
    out.client_time = number(f[f_client_time]);
  } else if (*type == "video_control") {
    out.control = parse_control(f);
  } else if (*type == "typing") {
    out.is_typing = f[f_is_typing].kind == JsonField::Kind::boolean && f[f_is_typing].boolean;
  } else if (*type == "reaction") {
    auto* emoji = string_of(f[f_emoji]);
    if (!emoji) throw Invalid{"invalid_message", "reaction needs emoji."};
    out.emoji = std::move(f[f_emoji].text);
    out.video_timestamp = number(f[f_video_timestamp]).value_or(0);
  } else if (*type == "sync_report") {
    auto drift = number(f[f_drift_ms]);
    if (!drift || *drift < -600'000 || *drift > 600'000)
      throw Invalid{"invalid_message", "sync_report needs drift_ms, -600000 to 600000."};
    out.drift_ms = *drift;
  } else if (parse_enum<SignalType>(*type)) {
    // The calls service reads a signal's body: only these get a document.
    auto parsed = try_parse_client_json(frame);
    if (!parsed || !parsed->is_object()) throw Invalid{"invalid_json", "Messages must be JSON objects."};
    out.body = std::move(parsed->as_object());
  } else if (*type != "buffering" && *type != "ready" && *type != "sync_request") {
    throw Invalid{"unknown_type", "Unknown message type: " + *type};
  }
  out.type = std::move(f[f_type].text);
  return out;
}

}  // namespace wp::parties::protocol
