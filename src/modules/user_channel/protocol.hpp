#pragma once
// The /ws/user/ wire protocol (docs/realtime.md, "The per-user channel"):
// what the socket itself says and parses. Events published by other modules
// are built by realtime::LiveUserChannel::event ({"type", "data"}).
#include <boost/json.hpp>

#include <optional>
#include <string>

namespace wp::user_channel::protocol {

// ---- server -> client ----
// The first message on every socket: who you are, and the server's clock.
std::string hello(const std::string& user_id);
std::string pong(std::optional<double> client_time);
std::string error(const std::string& code, const std::string& message);

// ---- client -> server ----
struct ClientMessage {
  std::string type;
  std::optional<double> client_time;  // ping
  boost::json::object body;           // the whole message, for a module's handler
};
// A message the client got wrong: `code` is the `error` code to answer with.
struct Invalid {
  std::string code, message;
};
// Parses one text frame; throws Invalid (invalid_json, invalid_message). The
// socket decides whether it knows the type.
ClientMessage parse_client_message(const std::string& text);
Invalid unknown_type(const std::string& type);

}  // namespace wp::user_channel::protocol
