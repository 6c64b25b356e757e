#pragma once
// Invalid UTF-8 in a client's close reason must be answered with close 1007
// (RFC 6455 §8.1). Beast 1.81 checks the reason inside its read loop and
// answers 1002 without telling the application which check failed
// (docs/security.md, "WebSocket"). So the socket under Beast's stream
// watches the client's bytes go by: this follows the frame boundaries (it
// decides nothing about validity, Beast does), keeps the payload of the
// first close frame, and says whether its reason is the only thing wrong.
// The same layer then turns the 1002 Beast writes into 1007.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wp::http {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
bool is_utf8(std::string_view text);

// A close code a peer may send (RFC 6455 §7.4): 1000-1003, 1007-1014, 3000-4999.
bool is_sendable_close_code(std::uint16_t code);

class ClientCloseCheck {
 public:
  // The next bytes the client sent, in order, as read from the socket.
  void feed(std::string_view bytes);

  // True once the client's first close frame came whole with a close code
  // it may send and a reason that is not UTF-8.
  bool bad_reason() const { return bad_reason_; }

 private:
  enum class State { header, payload, done };
  void on_header_byte(std::uint8_t b);
  void on_payload_byte(std::uint8_t b);
  void end_frame();

  State state_ = State::header;
  std::array<std::uint8_t, 14> head_{};  // 2 bytes, up to 8 of length, 4 of mask
  std::size_t head_len_ = 0;
  std::size_t head_need_ = 2;
  std::uint64_t remain_ = 0;
  bool is_close_ = false;
  std::array<std::uint8_t, 125> close_{};
  std::size_t close_len_ = 0;
  std::array<std::uint8_t, 4> mask_{};
  bool masked_ = false;
  bool in_message_ = false;  // a fragmented text or binary message is open
  bool bad_reason_ = false;
};

// When frame (bytes the server is about to write) starts with a close frame
// carrying close code `from`, rewrites that code to `to` and returns true.
bool rewrite_close_code(std::string& frame, std::uint16_t from, std::uint16_t to);

}  // namespace wp::http
