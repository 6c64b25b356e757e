#include "http/ws_reader.hpp"

#include <algorithm>

namespace wp::http {

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto b = static_cast<std::uint8_t>(text[i]);
    std::size_t more;
    std::uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      more = 1, cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      more = 2, cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      more = 3, cp = b & 0x07;
    } else {
      return false;  // a continuation byte first, C0/C1 (overlong), or F5 and up
    }
    if (text.size() - i <= more) return false;
    for (std::size_t k = 1; k <= more; ++k) {
      auto c = static_cast<std::uint8_t>(text[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    i += more + 1;
  }
  return true;
}

bool is_sendable_close_code(std::uint16_t code) {
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}

namespace {
constexpr std::uint8_t kContinuation = 0, kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10;

bool is_control(std::uint8_t opcode) { return opcode >= kClose; }
bool is_known(std::uint8_t opcode) { return opcode <= kBinary || (opcode >= kClose && opcode <= kPong); }
}  // namespace

bool WsReader::feed(std::string_view bytes, WsReaderSink& sink) {
  std::size_t i = 0;
  while (!done_ && i < bytes.size()) {
    if (!in_payload_) {
      if (!on_header_byte(static_cast<std::uint8_t>(bytes[i++]), sink)) return false;
      continue;
    }
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remain_, bytes.size() - i));
    auto& to = is_control(opcode_) ? control_ : message_;
    auto at = to.size();
    to.append(bytes.data() + i, n);
    const std::uint8_t* mask = head_.data() + head_need_ - 4;
    for (std::size_t k = 0; k < n; ++k) to[at + k] = static_cast<char>(to[at + k] ^ mask[(mask_at_ + k) & 3]);
    mask_at_ = static_cast<std::uint8_t>((mask_at_ + n) & 3);
    i += n;
    remain_ -= n;
    if (remain_ == 0 && !end_frame(sink)) return false;
  }
  return !done_;
}

bool WsReader::on_header_byte(std::uint8_t b, WsReaderSink& sink) {
  head_[head_len_++] = b;
  if (head_len_ == 2) {
    const bool fin = head_[0] & 0x80;
    opcode_ = head_[0] & 0x0F;
    const std::uint8_t len7 = head_[1] & 0x7F;
    if (head_[0] & 0x70) return violation(sink, ws_close::protocol_error, "Reserved bits set.");
    if (!is_known(opcode_)) return violation(sink, ws_close::protocol_error, "Unknown opcode.");
    if (!(head_[1] & 0x80)) return violation(sink, ws_close::protocol_error, "Client frames must be masked.");
    if (is_control(opcode_) && (!fin || len7 > 125))
      return violation(sink, ws_close::protocol_error, "Control frames are whole and at most 125 bytes.");
    if (opcode_ == kContinuation && message_opcode_ == 0)
      return violation(sink, ws_close::protocol_error, "A continuation without a message.");
    if ((opcode_ == kText || opcode_ == kBinary) && message_opcode_ != 0)
      return violation(sink, ws_close::protocol_error, "A new message inside a fragmented one.");
    head_need_ = static_cast<std::uint8_t>(2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4);
  }
  if (head_len_ < head_need_) return true;
  return start_payload(sink);
}

bool WsReader::start_payload(WsReaderSink& sink) {
  const std::uint8_t len7 = head_[1] & 0x7F;
  std::uint64_t len = len7;
  if (len7 >= 126) {
    len = 0;
    for (std::size_t k = 2; k < head_need_ - 4u; ++k) len = (len << 8) | head_[k];
    // The shortest form only (§5.2), and a 64-bit length's top bit clear.
    if ((len7 == 126 && len < 126) || (len7 == 127 && (len <= 0xFFFF || (len >> 63))))
      return violation(sink, ws_close::protocol_error, "Frame length not in its shortest form.");
  }
  if (!is_control(opcode_)) {
    if (len > max_message_ - std::min(max_message_, message_.size()))
      return violation(sink, ws_close::too_big, "Message too big.");
    if (opcode_ != kContinuation) message_opcode_ = opcode_;
  }
  head_len_ = 0;
  remain_ = len;
  mask_at_ = 0;
  in_payload_ = true;
  if (remain_ == 0) return end_frame(sink);
  return true;
}

bool WsReader::end_frame(WsReaderSink& sink) {
  in_payload_ = false;
  const bool fin = head_[0] & 0x80;
  head_need_ = 2;
  switch (opcode_) {
    case kPing:
      sink.on_ping(control_);
      control_.clear();
      return true;
    case kPong:
      control_.clear();
      return true;
    case kClose:
      return end_close(sink);
    default:
      break;
  }
  if (!fin) return true;
  if (message_opcode_ == kText && !is_utf8(message_))
    return violation(sink, ws_close::bad_payload, "Text is not UTF-8.");
  message_opcode_ = 0;
  const bool go_on = sink.on_message(message_);
  // Given back between messages: most sockets wait idle most of the time.
  std::string().swap(message_);
  if (!go_on) done_ = true;
  return go_on;
}

bool WsReader::end_close(WsReaderSink& sink) {
  done_ = true;
  if (control_.empty()) {
    sink.on_peer_close(ws_close::no_status);
    return false;
  }
  if (control_.size() == 1) return violation(sink, ws_close::protocol_error, "Close payload of one byte.");
  auto code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(control_[0]) << 8) |
                                         static_cast<std::uint8_t>(control_[1]));
  if (!is_sendable_close_code(code)) return violation(sink, ws_close::protocol_error, "Invalid close code.");
  if (!is_utf8(std::string_view(control_).substr(2)))
    return violation(sink, ws_close::bad_payload, "Close reason is not UTF-8.");
  sink.on_peer_close(code);
  return false;
}

bool WsReader::violation(WsReaderSink& sink, std::uint16_t code, std::string_view reason) {
  done_ = true;
  std::string().swap(message_);
  std::string().swap(control_);
  sink.on_violation(code, reason);
  return false;
}

}  // namespace wp::http
