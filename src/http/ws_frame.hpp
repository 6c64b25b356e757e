#pragma once
// Server-to-client WebSocket frames built once per message. Frames the
// server sends are unmasked and (no permessage-deflate is negotiated)
// byte-identical for every member, so a fan-out frames a message once and
// every connection writes the same shared bytes to its socket.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "realtime/connection.hpp"

namespace wp::http::transport {

// The complete bytes of one frame, header and payload, never changed once built.
using Frame = std::shared_ptr<const std::string>;

// One final, unmasked frame (RFC 6455 §5.2) of `opcode` carrying `payload`.
std::string server_frame(std::uint8_t opcode, std::string_view payload);
inline std::string text_frame(std::string_view text) { return server_frame(1, text); }
// A close frame with `code` and `reason` (cut to fit 125 bytes); no payload
// at all for 1005, the code that stands for "none" and is never sent.
std::string close_frame(std::uint16_t code, std::string_view reason);

// text_frame(*msg), built at most once per message on each thread: a
// fan-out hands the same message to every member from one loop. The
// reference holds till the next call on this thread; a copy, for good.
const Frame& shared_text_frame(const realtime::Message& msg);

}  // namespace wp::http::transport
