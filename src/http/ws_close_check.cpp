#include "http/ws_close_check.hpp"

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
}

void ClientCloseCheck::feed(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size() && state_ != State::done) {
    if (state_ == State::header) {
      on_header_byte(static_cast<std::uint8_t>(bytes[i++]));
    } else if (!is_close_) {
      // Other frames are only skipped over.
      auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remain_, bytes.size() - i));
      i += n;
      remain_ -= n;
      if (remain_ == 0) end_frame();
    } else {
      on_payload_byte(static_cast<std::uint8_t>(bytes[i++]));
    }
  }
}

void ClientCloseCheck::on_header_byte(std::uint8_t b) {
  head_[head_len_++] = b;
  if (head_len_ == 2) {
    auto len7 = head_[1] & 0x7F;
    masked_ = (head_[1] & 0x80) != 0;
    head_need_ = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked_ ? 4 : 0);
  }
  if (head_len_ < head_need_) return;
  bool fin = (head_[0] & 0x80) != 0;
  bool rsv = (head_[0] & 0x70) != 0;
  std::uint8_t opcode = head_[0] & 0x0F;
  std::uint64_t len = head_[1] & 0x7F;
  std::size_t at = 2;
  if (len >= 126) {
    std::size_t n = len == 126 ? 2 : 8;
    len = 0;
    for (std::size_t k = 0; k < n; ++k) len = (len << 8) | head_[at++];
  }
  if (masked_)
    for (std::size_t k = 0; k < 4; ++k) mask_[k] = head_[at++];
  // Frames that Beast refuses on their header alone: it answers 1002 for
  // them, and nothing after them is read. Stop watching.
  bool control = opcode >= 8;
  bool known = opcode == kContinuation || opcode == kText || opcode == kBinary || opcode == kClose ||
               opcode == kPing || opcode == kPong;
  bool misplaced = (opcode == kContinuation && !in_message_) || ((opcode == kText || opcode == kBinary) && in_message_);
  if (rsv || !masked_ || !known || misplaced || (control && (!fin || len > 125))) {
    state_ = State::done;
    return;
  }
  if (!control) in_message_ = !fin;
  is_close_ = opcode == kClose;
  remain_ = len;
  close_len_ = 0;
  head_len_ = 0;
  head_need_ = 2;
  state_ = State::payload;
  if (remain_ == 0) end_frame();
}

void ClientCloseCheck::on_payload_byte(std::uint8_t b) {
  close_[close_len_] = b ^ mask_[close_len_ % 4];
  ++close_len_;
  if (--remain_ == 0) end_frame();
}

void ClientCloseCheck::end_frame() {
  if (!is_close_) {
    state_ = State::header;
    return;
  }
  state_ = State::done;  // Beast reads nothing after a close frame
  if (close_len_ < 2) return;
  auto code = static_cast<std::uint16_t>((close_[0] << 8) | close_[1]);
  std::string_view reason(reinterpret_cast<const char*>(close_.data()) + 2, close_len_ - 2);
  bad_reason_ = is_sendable_close_code(code) && !is_utf8(reason);
}

bool rewrite_close_code(std::string& frame, std::uint16_t from, std::uint16_t to) {
  // A server's frame is not masked: 0x88 (FIN, close), the length, then the code.
  if (frame.size() < 4 || static_cast<std::uint8_t>(frame[0]) != 0x88) return false;
  auto len = static_cast<std::uint8_t>(frame[1]);
  if (len < 2 || len > 125) return false;
  auto code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(frame[2]) << 8) | static_cast<std::uint8_t>(frame[3]));
  if (code != from) return false;
  frame[2] = static_cast<char>(to >> 8);
  frame[3] = static_cast<char>(to & 0xFF);
  return true;
}

}  // namespace wp::http
