#pragma once
// The server's side of the WebSocket opening handshake (RFC 6455 §4.2.2).
// The request was checked before (http_session.cpp: an upgrade, version 13,
// a well-formed key); this is the answer.
#include <string>
#include <string_view>

namespace wp::http {

// base64(SHA-1(key + the RFC's GUID)).
std::string websocket_accept(std::string_view key);

// The whole "101 Switching Protocols" answer for `key`.
std::string switching_protocols(std::string_view key);

}  // namespace wp::http
