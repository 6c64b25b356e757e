#include "modules/mobile/cursor.hpp"

#include <charconv>

#include "core/crypto.hpp"

namespace wp::mobile {

namespace {

constexpr std::string_view kVersion = "c1";

std::string payload_of(const Cursor& c) {
  return std::string(kVersion) + "|" + c.user_id + "|" + std::string(to_string(c.type)) + "|" + std::to_string(c.seq);
}

// "c1|user|type|seq" -> the cursor, or nullopt.
std::optional<Cursor> parse_payload(std::string_view p) {
  auto next = [&p]() -> std::optional<std::string_view> {
    if (p.empty()) return std::nullopt;
    auto bar = p.find('|');
    auto part = p.substr(0, bar);
    p = bar == std::string_view::npos ? std::string_view{} : p.substr(bar + 1);
    return part;
  };
  auto version = next(), user = next(), type = next(), seq = next();
  if (!version || *version != kVersion || !user || !type || !seq || !p.empty()) return std::nullopt;
  Cursor c;
  c.user_id = std::string(*user);
  auto t = parse_enum<DataType>(*type);
  if (!t) return std::nullopt;
  c.type = *t;
  auto [end, ec] = std::from_chars(seq->data(), seq->data() + seq->size(), c.seq);
  if (ec != std::errc() || end != seq->data() + seq->size() || c.seq < 0) return std::nullopt;
  return c;
}

}  // namespace

std::string sign_cursor(std::string_view key, const Cursor& c) {
  auto payload = payload_of(c);
  return crypto::base64url_encode(payload) + "." + crypto::base64url_encode(crypto::hmac_sha256(key, payload));
}

std::optional<Cursor> verify_cursor(std::string_view key, std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string payload, mac;
  if (!crypto::base64url_decode(text.substr(0, dot), payload) || !crypto::base64url_decode(text.substr(dot + 1), mac))
    return std::nullopt;
  if (!crypto::constant_time_equal(mac, crypto::hmac_sha256(key, payload))) return std::nullopt;
  return parse_payload(payload);
}

}  // namespace wp::mobile
