#include "sfu/janus_api.hpp"

#include "core/ids.hpp"

namespace wp::sfu {

namespace json = boost::json;

namespace {

constexpr PluginInfo kAudioBridge{"janus.plugin.audiobridge", "audiobridge", 485, 486, 492};
constexpr PluginInfo kVideoRoom{"janus.plugin.videoroom", "videoroom", 426, 427, 428};

const json::object& object_at(const json::object& o, std::string_view key, std::string_view what) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_object()) throw JanusBroken("Janus answer without " + std::string(what));
  return v->get_object();
}

std::uint64_t uint_of(const json::value& v, std::string_view what) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
  throw JanusBroken("Janus answer with a " + std::string(what) + " that is not a number");
}

}  // namespace

const PluginInfo& plugin_of(SfuKind kind) { return kind == SfuKind::audio ? kAudioBridge : kVideoRoom; }

json::object janus_request(std::string_view verb, const JanusAuth& auth) {
  json::object o{{"janus", verb}, {"transaction", random_hex(8)}};
  if (!auth.api_secret.empty()) o["apisecret"] = auth.api_secret;
  return o;
}

json::object attach_request(SfuKind kind, const JanusAuth& auth) {
  auto o = janus_request("attach", auth);
  o["plugin"] = plugin_of(kind).package;
  return o;
}

json::object message_request(json::object body, const JanusAuth& auth) {
  auto o = janus_request("message", auth);
  o["body"] = std::move(body);
  return o;
}

json::object admin_request(std::string_view verb, const JanusAuth& auth, json::object fields) {
  fields["janus"] = verb;
  fields["transaction"] = random_hex(8);
  fields["admin_secret"] = auth.admin_secret;
  return fields;
}

json::object create_room_body(SfuKind kind, std::uint64_t room, const std::string& secret,
                              const std::string& description) {
  json::object o{{"request", "create"}, {"room", room},          {"secret", secret},
                 {"description", description}, {"is_private", true}, {"permanent", false},
                 {"allowed", json::array{}}};
  if (kind == SfuKind::audio) {
    o["sampling_rate"] = 48000;  // Opus at full band: the room mixes speech over a film
    o["audiolevel_event"] = true;
    o["audio_active_packets"] = kTalkingPackets;
    o["audio_level_average"] = kTalkingLevel;
  } else {
    o["publishers"] = 16;        // sharers; the calls service enforces its own, lower limit
  }
  return o;
}

json::object allowed_body(std::uint64_t room, const std::string& secret, std::string_view action,
                          const std::vector<std::string>& tokens) {
  json::array list;
  for (auto& t : tokens) list.emplace_back(t);
  return {{"request", "allowed"}, {"room", room}, {"secret", secret}, {"action", action}, {"allowed", std::move(list)}};
}

json::object kick_body(std::uint64_t room, const std::string& secret, std::uint64_t participant) {
  return {{"request", "kick"}, {"room", room}, {"secret", secret}, {"id", participant}};
}

json::object destroy_body(std::uint64_t room, const std::string& secret) {
  return {{"request", "destroy"}, {"room", room}, {"secret", secret}, {"permanent", false}};
}

json::object mute_body(std::uint64_t room, const std::string& secret, std::uint64_t participant, bool muted) {
  return {{"request", muted ? "mute" : "unmute"}, {"room", room}, {"secret", secret}, {"id", participant}};
}

json::object participants_body(std::uint64_t room) { return {{"request", "listparticipants"}, {"room", room}}; }

json::object exists_body(std::uint64_t room) { return {{"request", "exists"}, {"room", room}}; }

json::object read_answer(int http_status, const std::string& body, const std::string& transport_error) {
  if (http_status == 0) throw JanusBroken("Janus did not answer: " + transport_error);
  json::value v;
  boost::system::error_code ec;
  v = json::parse(body, ec);
  if (ec || !v.is_object())
    throw JanusBroken("Janus answered HTTP " + std::to_string(http_status) + " without a JSON object");
  auto& o = v.get_object();
  auto* kind = o.if_contains("janus");
  if (!kind || !kind->is_string()) throw JanusBroken("Janus answer without \"janus\"");
  if (kind->get_string() == "error") {
    auto& err = object_at(o, "error", "error");
    auto* code = err.if_contains("code");
    auto* reason = err.if_contains("reason");
    throw JanusError(code && code->is_int64() ? static_cast<int>(code->get_int64()) : 0,
                     reason && reason->is_string() ? std::string(reason->get_string()) : "Janus error");
  }
  return std::move(o);
}

std::uint64_t read_id(const json::object& answer) {
  auto& data = object_at(answer, "data", "data");
  auto* id = data.if_contains("id");
  if (!id) throw JanusBroken("Janus answer without data.id");
  return uint_of(*id, "data.id");
}

json::object read_plugin_data(const json::object& answer, SfuKind kind) {
  auto& data = object_at(object_at(answer, "plugindata", "plugindata"), "data", "plugindata.data");
  if (auto* code = data.if_contains("error_code")) {
    auto* error = data.if_contains("error");
    throw JanusError(code->is_int64() ? static_cast<int>(code->get_int64()) : 0,
                     error && error->is_string() ? std::string(error->get_string()) : "Janus plugin error");
  }
  if (!data.if_contains(plugin_of(kind).key)) throw JanusBroken("Janus answer from another plugin");
  return data;
}

std::vector<std::uint64_t> read_participant_ids(const json::object& data) {
  std::vector<std::uint64_t> ids;
  auto* list = data.if_contains("participants");
  if (!list || !list->is_array()) throw JanusBroken("Janus answer without participants");
  for (auto& p : list->get_array()) {
    if (!p.is_object() || !p.get_object().if_contains("id")) throw JanusBroken("Janus participant without id");
    ids.push_back(uint_of(p.get_object().at("id"), "participant id"));
  }
  return ids;
}

std::vector<JanusParticipant> read_participants(const json::object& data) {
  auto ids = read_participant_ids(data);
  std::vector<JanusParticipant> out;
  auto& list = data.at("participants").get_array();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto* muted = list[i].get_object().if_contains("muted");
    out.push_back({ids[i], muted && muted->is_bool() && muted->get_bool()});
  }
  return out;
}

bool read_exists(const json::object& data) {
  auto* flag = data.if_contains("exists");
  if (!flag || !flag->is_bool()) throw JanusBroken("Janus answer without exists");
  return flag->get_bool();
}

std::vector<std::string> read_tokens(const json::object& answer) {
  std::vector<std::string> tokens;
  auto* list = object_at(answer, "data", "data").if_contains("tokens");
  if (!list || !list->is_array()) throw JanusBroken("Janus answer without data.tokens");
  for (auto& t : list->get_array()) {
    auto* token = t.is_object() ? t.get_object().if_contains("token") : nullptr;
    if (!token || !token->is_string()) throw JanusBroken("Janus token entry without a token");
    tokens.emplace_back(token->get_string());
  }
  return tokens;
}

}  // namespace wp::sfu
