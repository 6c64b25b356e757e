#include "modules/push/ece.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

#include "core/crypto.hpp"

namespace wp::push {

namespace {

// HKDF-SHA-256 (RFC 5869) for outputs of at most 32 bytes: one expand block.
std::string hkdf(std::string_view salt, std::string_view ikm, std::string_view info, std::size_t length) {
  std::string prk = crypto::hmac_sha256(salt, ikm);
  std::string block = std::string(info) + '\x01';
  return crypto::hmac_sha256(prk, block).substr(0, length);
}

std::string aes128gcm_seal(std::string_view key, std::string_view nonce, std::string_view plaintext) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  auto u = [](std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  std::string out(plaintext.size() + 16, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len = 0, tail = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, u(key), u(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o, &len, u(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), o + len, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, o + plaintext.size()) != 1)
    throw std::runtime_error("AES-128-GCM failed");
  return out;
}

void append_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

}  // namespace

std::string ece_encrypt(const EceInput& in, const P256KeyPair& as_key, std::string_view salt) {
  if (in.plaintext.size() > kMaxPlaintext) throw std::invalid_argument("the push payload is too large");
  if (in.auth_secret.size() != 16) throw std::invalid_argument("the auth secret is not 16 bytes");
  if (salt.size() != 16) throw std::invalid_argument("the salt is not 16 bytes");
  std::string ecdh_secret = p256_ecdh(as_key, in.ua_public);
  // RFC 8291 3.4: IKM from the auth secret and both public keys, then RFC 8188's CEK and nonce.
  std::string key_info = std::string("WebPush: info") + '\0' + std::string(in.ua_public) + as_key.public_raw;
  std::string ikm = hkdf(in.auth_secret, ecdh_secret, key_info, 32);
  std::string cek = hkdf(salt, ikm, std::string("Content-Encoding: aes128gcm") + '\0', 16);
  std::string nonce = hkdf(salt, ikm, std::string("Content-Encoding: nonce") + '\0', 12);
  std::string record = std::string(in.plaintext) + '\x02';  // the last (only) record's delimiter
  std::string out(salt);
  append_u32(out, kRecordSize);
  out.push_back(static_cast<char>(as_key.public_raw.size()));
  out += as_key.public_raw;
  out += aes128gcm_seal(cek, nonce, record);
  return out;
}

std::string ece_encrypt(const EceInput& in) {
  std::string salt(16, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), 16) != 1)
    throw std::runtime_error("no random bytes for the salt");
  return ece_encrypt(in, generate_p256(), salt);
}

}  // namespace wp::push
