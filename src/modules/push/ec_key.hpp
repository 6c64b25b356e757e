#pragma once
// P-256 keys as Web Push handles them: a raw 32-byte private scalar and a
// 65-byte uncompressed public point (0x04 || X || Y), both usually carried
// base64url. OpenSSL 3 does the arithmetic; nothing here keeps state.
#include <string>
#include <string_view>

namespace wp::push {

struct P256KeyPair {
  std::string private_raw;  // 32 bytes
  std::string public_raw;   // 65 bytes, uncompressed
};

P256KeyPair generate_p256();
// The pair of a private scalar; throws std::invalid_argument for a bad scalar.
P256KeyPair p256_from_private(std::string_view private_raw);
// True for a 65-byte uncompressed point on the curve.
bool is_p256_public(std::string_view public_raw);
// ECDH: the 32-byte shared X coordinate. Throws std::invalid_argument for a bad peer key.
std::string p256_ecdh(const P256KeyPair& mine, std::string_view peer_public_raw);
// ES256 (RFC 7518 3.4): SHA-256 ECDSA, the signature as raw R || S (64 bytes).
std::string es256_sign(const P256KeyPair& key, std::string_view data);
// RS256: RSASSA-PKCS1-v1_5 with SHA-256 by a PEM private key (a service account's).
// Throws std::invalid_argument when the PEM is not an RSA private key.
std::string rs256_sign(const std::string& private_key_pem, std::string_view data);

}  // namespace wp::push
