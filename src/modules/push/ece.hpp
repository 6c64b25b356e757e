#pragma once
// RFC 8291 message encryption for Web Push: the "aes128gcm" content coding
// of RFC 8188 with the key derived from an ECDH agreement between a fresh
// (or given) application-server key and the subscription's p256dh key,
// mixed with its auth secret. The whole payload is one record.
#include <cstdint>
#include <string>
#include <string_view>

#include "modules/push/ec_key.hpp"

namespace wp::push {

inline constexpr std::uint32_t kRecordSize = 4096;
// The largest plaintext one 4096-byte record carries: 4096 - 86 (header) - 16 (tag) - 1 (delimiter).
inline constexpr std::size_t kMaxPlaintext = 3993;

struct EceInput {
  std::string_view plaintext;
  std::string_view ua_public;    // the subscription's p256dh, 65 bytes
  std::string_view auth_secret;  // the subscription's auth, 16 bytes
};

// The request body: header (salt, rs, keyid = as_public) then the record.
// Throws std::invalid_argument for bad keys or a payload over kMaxPlaintext.
std::string ece_encrypt(const EceInput& in, const P256KeyPair& as_key, std::string_view salt);
// The same with a fresh key pair and a random salt, as every real send does.
std::string ece_encrypt(const EceInput& in);

}  // namespace wp::push
