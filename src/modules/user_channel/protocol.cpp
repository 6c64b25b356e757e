#include "modules/user_channel/protocol.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/json_input.hpp"

namespace wp::user_channel::protocol {

namespace json = boost::json;

std::string hello(const std::string& user_id) {
  return json::serialize(json::object{{"type", "hello"}, {"user_id", user_id}, {"server_time", now_ms_precise()}});
}

std::string pong(std::optional<double> client_time) {
  json::object o{{"type", "pong"}, {"server_time", now_ms_precise()}};
  o["client_time"] = client_time ? json::value(*client_time) : json::value(nullptr);
  return json::serialize(o);
}

Invalid unknown_type(const std::string& type) { return {"unknown_type", "Unknown message type: " + type}; }

std::string error(const std::string& code, const std::string& message) {
  return json::serialize(json::object{{"type", "error"}, {"code", code}, {"message", message}});
}

ClientMessage parse_client_message(const std::string& frame) {
  auto parsed = try_parse_client_json(frame);
  if (!parsed || !parsed->is_object()) throw Invalid{"invalid_json", "Messages must be JSON objects."};
  auto& msg = parsed->as_object();
  auto type = msg.if_contains("type");
  if (!type || !type->is_string()) throw Invalid{"invalid_message", "Every message needs a type."};
  ClientMessage out;
  out.type = std::string(type->as_string());
  if (auto t = msg.if_contains("client_time"); t && t->is_number()) out.client_time = t->to_number<double>();
  out.body = std::move(msg);
  return out;
}

}  // namespace wp::user_channel::protocol
