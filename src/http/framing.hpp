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

// The HTTP version of a request line (RFC 9110 §2.5): a later 1.x minor
// version is processed as 1.1, the highest minor version of that major
// version we conform to. Beast 1.81 knows 1.0 and 1.1 only, so the session
// rewrites the minor digit (at *minor_at in bytes) before its parser sees the
// line. Another major version stays as sent (Beast answers 400).
enum class RequestVersion { as_sent, read_as_1_1, incomplete };
// bytes: the start of a request; incomplete until its first CRLF arrived.
RequestVersion request_line_version(std::string_view bytes, std::size_t* minor_at = nullptr);

}  // namespace wp::http
