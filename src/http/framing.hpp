#pragma once
// The framing rules of a request head that Beast leaves to us (RFC 9112
// §6.1, §6.3): which header decides where the body ends must never be in
// doubt, or a body could be read as the next request (smuggling).
#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "http/message.hpp"

namespace wp::http {

// Why a head cannot be framed safely (400 or 501; the connection is then
// closed), or nullopt. Transfer-Encoding is accepted only as one final
// "chunked", and never together with Content-Length.
std::optional<Error> framing_error(const Headers& headers);

// True when bytes hold a line ending that is not CRLF (a bare LF or a bare
// CR): the parser waits for a CRLF that may never come, so such framing is
// answered 400 at once.
bool has_bare_line_ending(std::string_view bytes);

// A Sec-WebSocket-Key is the base64 form of 16 bytes (RFC 6455 §4.1):
// 22 characters of the alphabet and "==". Anything else is refused with 400.
bool is_websocket_key(std::string_view key);

}  // namespace wp::http
