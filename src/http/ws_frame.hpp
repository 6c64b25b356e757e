#pragma once
// Server-to-client WebSocket frames built once per message. Frames the
// server sends are unmasked and (no permessage-deflate is negotiated)
// byte-identical for every member, so a fan-out frames a message once and
// every connection writes the same shared bytes to its socket.
#include <memory>
#include <string>
#include <string_view>

#include "realtime/connection.hpp"

namespace wp::http::transport {

// The complete bytes of one frame, header and payload, never changed once built.
using Frame = std::shared_ptr<const std::string>;

// One final, unmasked text frame carrying `text` (RFC 6455 §5.2).
std::string text_frame(std::string_view text);

// text_frame(*msg), built at most once per message on each thread: a
// fan-out hands the same message to every member from one loop.
Frame shared_text_frame(const realtime::Message& msg);

}  // namespace wp::http::transport
