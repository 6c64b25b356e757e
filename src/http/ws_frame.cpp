#include "http/ws_frame.hpp"

#include <cstdint>

namespace wp::http::transport {

std::string server_frame(std::uint8_t opcode, std::string_view payload) {
  const std::uint64_t n = payload.size();
  std::string out;
  out.reserve(payload.size() + 10);
  out.push_back(static_cast<char>(0x80 | opcode));  // FIN
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
  out.append(payload);
  return out;
}

std::string close_frame(std::uint16_t code, std::string_view reason) {
  if (code == 1005) return server_frame(8, {});
  std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  payload.append(reason.substr(0, 123));
  return server_frame(8, payload);
}

const Frame& shared_text_frame(const realtime::Message& msg) {
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
