#include "http/ws_frame.hpp"

#include <cstdint>

namespace wp::http::transport {

std::string text_frame(std::string_view text) {
  const std::uint64_t n = text.size();
  std::string out;
  out.reserve(text.size() + 10);
  out.push_back(static_cast<char>(0x81));  // FIN, opcode 1 (text)
  if (n < 126) {
    out.push_back(static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  out.append(text);
  return out;
}

Frame shared_text_frame(const realtime::Message& msg) {
  // The weak_ptr keeps the message's control block alive, so an equal owner
  // is the same message, never a new one at a reused address.
  thread_local std::weak_ptr<const std::string> last_msg;
  thread_local const std::string* last_ptr = nullptr;
  thread_local Frame last_frame;
  const bool same = last_ptr == msg.get() && !last_msg.owner_before(msg) && !msg.owner_before(last_msg);
  if (!same || !last_frame) {
    last_frame = std::make_shared<const std::string>(text_frame(*msg));
    last_msg = msg;
    last_ptr = msg.get();
  }
  return last_frame;
}

}  // namespace wp::http::transport
