#include "core/ids.hpp"

#include <sodium.h>

#include <array>
#include <algorithm>
#include <cctype>
#include <mutex>

#include "core/clock.hpp"

namespace wp {

namespace {
std::string to_hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 0xF]);
  }
  return out;
}

// The canonical 8-4-4-4-12 lower-case form of 16 bytes.
std::string uuid_form(const std::array<unsigned char, 16>& b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t at = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // the dashes, already there
    out[at++] = digits[b[i] >> 4];
    out[at++] = digits[b[i] & 0xF];
  }
  return out;
}
}  // namespace

std::string new_uuid() {
  std::array<unsigned char, 16> b;
  randombytes_buf(b.data(), b.size());
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  return uuid_form(b);
}

std::string new_request_id() {
  struct Sequence {
    std::uint64_t start = 0;
    std::uint64_t next = 0;
    Sequence() { randombytes_buf(&start, sizeof start); }
  };
  thread_local Sequence seq;
  std::array<unsigned char, 16> b;
  std::uint64_t hi = seq.start, lo = seq.next++;
  for (int i = 7; i >= 0; --i, hi >>= 8, lo >>= 8) {
    b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(hi);
    b[static_cast<std::size_t>(i) + 8] = static_cast<unsigned char>(lo);
  }
  return uuid_form(b);
}

std::string new_uuid_v7(std::int64_t* ms_out) {
  // RFC 9562 method 1: a 12-bit counter in rand_a keeps ids of one millisecond in order.
  static std::mutex mu;
  static std::int64_t last_ms = 0;
  static unsigned counter = 0;
  std::int64_t ms;
  unsigned seq;
  {
    std::lock_guard lock(mu);
    ms = std::max(now_ms(), last_ms);
    if (ms == last_ms) {
      if (++counter > 0xFFF) {
        ++ms;  // counter exhausted: borrow the next millisecond
        counter = 0;
      }
    } else {
      counter = 0;
    }
    last_ms = ms;
    seq = counter;
  }
  std::array<unsigned char, 16> b;
  randombytes_buf(b.data(), b.size());
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(0x70 | ((seq >> 8) & 0x0F));
  b[7] = static_cast<unsigned char>(seq & 0xFF);
  b[8] = (b[8] & 0x3F) | 0x80;
  if (ms_out) *ms_out = ms;
  return uuid_form(b);
}

namespace {
// Not std::isxdigit: a call into the C library per character was a fifth of
// a parameterised route match (bench/NOTES.md, issue #23).
bool is_hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
}  // namespace

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!is_hex_digit(s[i])) {
      return false;
    }
  }
  return true;
}

std::string random_hex(std::size_t n_bytes) {
  std::string raw(n_bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

}  // namespace wp
