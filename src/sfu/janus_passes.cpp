#include "sfu/janus_passes.hpp"

#include <sodium.h>

#include "core/crypto.hpp"

namespace wp::sfu {

namespace {

constexpr std::uint64_t kJsSafe = (std::uint64_t{1} << 53) - 1;

std::uint64_t first_53_bits(const std::string& raw) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(raw[static_cast<std::size_t>(i)]);
  return v & kJsSafe;
}

std::string room_label(const SfuRoom& room) { return std::string(to_string(room.kind)) + ":" + std::to_string(room.id); }

}  // namespace

std::string room_secret(const std::string& key, const SfuRoom& room) {
  return crypto::base64url_encode(crypto::hmac_sha256(key, "watchparty sfu room secret " + room_label(room)));
}

std::uint64_t participant_id(const std::string& key, const SfuRoom& room, const std::string& user_id) {
  auto id = first_53_bits(crypto::hmac_sha256(key, "watchparty sfu participant " + room_label(room) + " " + user_id));
  return id == 0 ? 1 : id;
}

std::string token_prefix(const SfuRoom& room) {
  return std::string(room.kind == SfuKind::audio ? "wpa." : "wpv.") + std::to_string(room.id) + ".";
}

std::string token_prefix(const SfuRoom& room, const std::string& user_id) {
  return token_prefix(room) + user_id + ".";
}

std::string new_token(const SfuRoom& room, const std::string& user_id) {
  return token_prefix(room, user_id) + crypto::random_token();
}

std::optional<std::string> token_user(const SfuRoom& room, const std::string& token) {
  auto prefix = token_prefix(room);
  if (token.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  auto dot = token.find('.', prefix.size());
  if (dot == std::string::npos || dot == prefix.size()) return std::nullopt;
  return token.substr(prefix.size(), dot - prefix.size());
}

std::uint64_t random_room_id() {
  std::uint64_t v = 0;
  while (v == 0) {
    randombytes_buf(&v, sizeof v);
    v &= kJsSafe;
  }
  return v;
}

}  // namespace wp::sfu
