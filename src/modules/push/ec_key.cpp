#include "modules/push/ec_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <memory>
#include <stdexcept>

namespace wp::push {

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Group = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using Point = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using Bn = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Sig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Group p256_group() {
  Group g(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  if (!g) throw std::runtime_error("OpenSSL has no P-256");
  return g;
}

// An EVP key of the pair (private part optional), for derive and sign.
Pkey to_pkey(std::string_view public_raw, std::string_view private_raw) {
  ParamBld bld(OSSL_PARAM_BLD_new());
  Bn priv;
  OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public_raw.data(), public_raw.size());
  if (!private_raw.empty()) {
    priv.reset(BN_bin2bn(bytes(private_raw), static_cast<int>(private_raw.size()), nullptr));
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get());
  }
  Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* out = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &out, private_raw.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR,
                        params.get()) <= 0)
    throw std::invalid_argument("not a P-256 key");
  return Pkey(out);
}

std::string digest_sign(EVP_PKEY* key, std::string_view data) {
  MdCtx md(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key) <= 0 ||
      EVP_DigestSign(md.get(), nullptr, &len, bytes(data), data.size()) <= 0)
    throw std::runtime_error("signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes(data), data.size()) <= 0)
    throw std::runtime_error("signing failed");
  sig.resize(len);
  return sig;
}

}  // namespace

P256KeyPair p256_from_private(std::string_view private_raw) {
  if (private_raw.size() != 32) throw std::invalid_argument("a P-256 private key is 32 bytes");
  auto group = p256_group();
  Bn d(BN_bin2bn(bytes(private_raw), 32, nullptr));
  if (!d || BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0)
    throw std::invalid_argument("the private key is out of range");
  Point pub(EC_POINT_new(group.get()));
  if (!pub || EC_POINT_mul(group.get(), pub.get(), d.get(), nullptr, nullptr, nullptr) != 1)
    throw std::runtime_error("P-256 point multiplication failed");
  std::string out(65, '\0');
  if (EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED,
                         reinterpret_cast<unsigned char*>(out.data()), out.size(), nullptr) != 65)
    throw std::runtime_error("P-256 point encoding failed");
  return {std::string(private_raw), out};
}

P256KeyPair generate_p256() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  BIGNUM* d = nullptr;
  if (!key || EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1)
    throw std::runtime_error("P-256 key generation failed");
  Bn owned(d);
  std::string raw(32, '\0');
  BN_bn2binpad(d, reinterpret_cast<unsigned char*>(raw.data()), 32);
  return p256_from_private(raw);
}

bool is_p256_public(std::string_view public_raw) {
  if (public_raw.size() != 65 || public_raw[0] != 0x04) return false;
  auto group = p256_group();
  Point p(EC_POINT_new(group.get()));
  return p && EC_POINT_oct2point(group.get(), p.get(), bytes(public_raw), public_raw.size(), nullptr) == 1 &&
         EC_POINT_is_on_curve(group.get(), p.get(), nullptr) == 1;
}

std::string p256_ecdh(const P256KeyPair& mine, std::string_view peer_public_raw) {
  if (!is_p256_public(peer_public_raw)) throw std::invalid_argument("not a P-256 public key");
  auto self = to_pkey(mine.public_raw, mine.private_raw);
  auto peer = to_pkey(peer_public_raw, {});
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, self.get(), nullptr));
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) <= 0 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) <= 0)
    throw std::invalid_argument("ECDH failed");
  std::string secret(len, '\0');
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(secret.data()), &len) <= 0)
    throw std::invalid_argument("ECDH failed");
  secret.resize(len);
  return secret;
}

std::string es256_sign(const P256KeyPair& key, std::string_view data) {
  auto pkey = to_pkey(key.public_raw, key.private_raw);
  std::string der = digest_sign(pkey.get(), data);
  const unsigned char* p = bytes(der);
  Sig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) throw std::runtime_error("ECDSA signature decoding failed");
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  return raw;
}

std::string rs256_sign(const std::string& private_key_pem, std::string_view data) {
  Bio bio(BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
  Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
    throw std::invalid_argument("not an RSA private key in PEM");
  return digest_sign(key.get(), data);
}

}  // namespace wp::push
