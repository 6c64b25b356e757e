#include "modules/notifications/unsubscribe.hpp"

#include "core/crypto.hpp"

namespace wp::notifications {

namespace {
// The purpose is part of what is signed, so no other HMAC of this key can pass for it.
std::string signed_text(const std::string& payload) { return "notifications.unsubscribe:" + payload; }
}  // namespace

std::string sign_unsubscribe(const std::string& key, const UnsubscribeTarget& t) {
  std::string payload = t.user_id + ":" + t.kind;
  return crypto::base64url_encode(payload) + "." +
         crypto::base64url_encode(crypto::hmac_sha256(key, signed_text(payload)));
}

std::optional<UnsubscribeTarget> verify_unsubscribe(const std::string& key, const std::string& token) {
  auto dot = token.find('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string payload, mac;
  if (!crypto::base64url_decode(token.substr(0, dot), payload) || !crypto::base64url_decode(token.substr(dot + 1), mac))
    return std::nullopt;
  if (!crypto::constant_time_equal(mac, crypto::hmac_sha256(key, signed_text(payload)))) return std::nullopt;
  auto colon = payload.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return UnsubscribeTarget{payload.substr(0, colon), payload.substr(colon + 1)};
}

}  // namespace wp::notifications
