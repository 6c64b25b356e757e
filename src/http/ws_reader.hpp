#pragma once
// What a client sends on a WebSocket, frame by frame (RFC 6455 §5): bytes
// in as they arrive, whole messages, pings and the close out. The reader
// holds only a frame's header while it is incomplete and the message being
// assembled, so that a socket waiting between messages keeps no buffer.
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

namespace ws_close {
inline constexpr std::uint16_t normal = 1000, protocol_error = 1002, no_status = 1005, bad_payload = 1007,
                               too_big = 1009;
}

class WsReaderSink {
 public:
  // A whole text or binary message (text already checked as UTF-8). The
  // reader clears it afterwards. False: stop reading.
  virtual bool on_message(const std::string& message) = 0;
  virtual void on_ping(std::string_view payload) = 0;
  // The client's close frame, valid; no_status when it carried no code.
  virtual void on_peer_close(std::uint16_t code) = 0;
  // The client broke the protocol: the socket must close with this code.
  virtual void on_violation(std::uint16_t code, std::string_view reason) = 0;

 protected:
  ~WsReaderSink() = default;
};

class WsReader {
 public:
  explicit WsReader(std::size_t max_message) : max_message_(max_message) {}

  // The next bytes from the client, in order. Returns false once reading
  // is over (a close frame, a violation, or the sink said stop); later
  // bytes are ignored.
  bool feed(std::string_view bytes, WsReaderSink& sink);

 private:
  bool on_header_byte(std::uint8_t b, WsReaderSink& sink);
  bool start_payload(WsReaderSink& sink);
  bool end_frame(WsReaderSink& sink);
  bool end_close(WsReaderSink& sink);
  bool violation(WsReaderSink& sink, std::uint16_t code, std::string_view reason);

  const std::size_t max_message_;
  std::array<std::uint8_t, 14> head_{};  // 2 bytes, up to 8 of length, 4 of mask
  std::uint8_t head_len_ = 0;
  std::uint8_t head_need_ = 2;
  std::uint8_t opcode_ = 0;          // of the frame being read
  std::uint8_t message_opcode_ = 0;  // text or binary while a message is open
  std::uint8_t mask_at_ = 0;
  bool in_payload_ = false;
  bool done_ = false;
  std::uint64_t remain_ = 0;
  std::string message_;  // the data message being assembled
  std::string control_;  // the control frame's payload
};

}  // namespace wp::http
