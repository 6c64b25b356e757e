// RFC 8291 encryption against the RFC's worked example, and the two JWTs
// push signs (VAPID ES256, FCM RS256) checked with OpenSSL's verifier.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>

#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "modules/push/ece.hpp"
#include "modules/push/jwt.hpp"
#include "modules/push/vapid.hpp"

namespace {

using namespace wp::push;

std::string b64u(std::string_view text) {
  std::string out;
  EXPECT_TRUE(wp::crypto::base64url_decode(text, out)) << text;
  return out;
}

// RFC 8291 section 5 (and Appendix A).
constexpr const char* kPlaintext = "V2hlbiBJIGdyb3cgdXAsIEkgd2FudCB0byBiZSBhIHdhdGVybWVsb24";
constexpr const char* kAsPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr const char* kAsPublic =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr const char* kUaPublic =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr const char* kSalt = "DGv6ra1nlYgDCS1FRnbzlw";
constexpr const char* kAuth = "BTBZMqHH6r4Tts7J_aSIgg";
constexpr const char* kBody =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_"
    "yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

TEST(PushEce, RfcExampleGivesTheExactBytes) {
  auto as = p256_from_private(b64u(kAsPrivate));
  EXPECT_EQ(wp::crypto::base64url_encode(as.public_raw), kAsPublic);
  std::string plaintext = b64u(kPlaintext), ua = b64u(kUaPublic), auth = b64u(kAuth);
  ASSERT_EQ(plaintext, "When I grow up, I want to be a watermelon");
  auto body = ece_encrypt({plaintext, ua, auth}, as, b64u(kSalt));
  EXPECT_EQ(wp::crypto::base64url_encode(body), kBody);
}

TEST(PushEce, FreshKeysAndSaltDifferEachTimeWithTheRfcHeaderShape) {
  std::string ua = b64u(kUaPublic), auth = b64u(kAuth);
  auto a = ece_encrypt({"hello", ua, auth});
  auto b = ece_encrypt({"hello", ua, auth});
  EXPECT_NE(a, b);
  ASSERT_EQ(a.size(), 16u + 4 + 1 + 65 + 5 + 1 + 16);
  EXPECT_EQ(a.substr(16, 4), std::string("\x00\x00\x10\x00", 4));  // rs = 4096
  EXPECT_EQ(a[20], 65);
  EXPECT_EQ(a[21], 0x04);
}

TEST(PushEce, RefusesBadKeysAndOversizedPayloads) {
  std::string ua = b64u(kUaPublic), auth = b64u(kAuth);
  EXPECT_THROW(ece_encrypt({"x", ua.substr(1), auth}), std::invalid_argument);
  std::string off_curve = ua;
  off_curve[40] ^= 1;
  EXPECT_THROW(ece_encrypt({"x", off_curve, auth}), std::invalid_argument);
  EXPECT_THROW(ece_encrypt({"x", ua, auth.substr(2)}), std::invalid_argument);
  EXPECT_NO_THROW(ece_encrypt({std::string(kMaxPlaintext, 'a'), ua, auth}));
  EXPECT_THROW(ece_encrypt({std::string(kMaxPlaintext + 1, 'a'), ua, auth}), std::invalid_argument);
}

// ---------------------------------------------------------------- JWTs

struct Jwt {
  boost::json::object header, claims;
  std::string signing_input, signature;
};

Jwt split(const std::string& token) {
  auto a = token.find('.'), b = token.rfind('.');
  Jwt j;
  j.header = boost::json::parse(b64u(token.substr(0, a))).as_object();
  j.claims = boost::json::parse(b64u(token.substr(a + 1, b - a - 1))).as_object();
  j.signing_input = token.substr(0, b);
  j.signature = b64u(token.substr(b + 1));
  return j;
}

bool verify(EVP_PKEY* key, const std::string& data, const std::string& sig) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(md);
  return ok;
}

// An OpenSSL public key of a raw point, and an ES256 raw signature as DER.
EVP_PKEY* p256_public(const std::string& raw) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, raw.data(), raw.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

std::string raw_to_der(const std::string& raw) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  auto u = [](const std::string& s, std::size_t off) { return reinterpret_cast<const unsigned char*>(s.data()) + off; };
  ECDSA_SIG_set0(sig, BN_bin2bn(u(raw, 0), 32, nullptr), BN_bin2bn(u(raw, 32), 32, nullptr));
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  std::string out(reinterpret_cast<char*>(der), len);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

TEST(PushJwt, Es256VerifiesWithThePublicKeyAndNotAnother) {
  auto key = generate_p256();
  auto j = split(es256_jwt({{"aud", "https://push.example.net"}, {"sub", "mailto:ops@example.com"}}, key));
  EXPECT_EQ(j.header.at("alg").as_string(), "ES256");
  EXPECT_EQ(j.header.at("typ").as_string(), "JWT");
  ASSERT_EQ(j.signature.size(), 64u);
  EVP_PKEY* pub = p256_public(key.public_raw);
  EXPECT_TRUE(verify(pub, j.signing_input, raw_to_der(j.signature)));
  EXPECT_FALSE(verify(pub, j.signing_input + "x", raw_to_der(j.signature)));
  EVP_PKEY_free(pub);
  EVP_PKEY* other = p256_public(generate_p256().public_raw);
  EXPECT_FALSE(verify(other, j.signing_input, raw_to_der(j.signature)));
  EVP_PKEY_free(other);
}

TEST(PushJwt, VapidHeaderCarriesTheOriginAudienceABoundedExpiryAndTheKey) {
  auto key = generate_p256();
  std::string header =
      vapid_authorization("https://Push.Example.net:443/wpush/v2/abc?x=1", key, "mailto:ops@example.com", 1000, 3600);
  ASSERT_EQ(header.rfind("vapid t=", 0), 0u) << header;
  auto comma = header.find(", k=");
  ASSERT_NE(comma, std::string::npos);
  EXPECT_EQ(b64u(header.substr(comma + 4)), key.public_raw);
  auto j = split(header.substr(8, comma - 8));
  EXPECT_EQ(j.claims.at("aud").as_string(), "https://Push.Example.net");
  EXPECT_EQ(j.claims.at("exp").as_int64(), 1000 + 3600);
  EXPECT_EQ(j.claims.at("sub").as_string(), "mailto:ops@example.com");
  EVP_PKEY* pub = p256_public(key.public_raw);
  EXPECT_TRUE(verify(pub, j.signing_input, raw_to_der(j.signature)));
  EVP_PKEY_free(pub);
  // RFC 8292: never more than 24 hours.
  auto long_lived = vapid_authorization("http://127.0.0.1:9000/p", key, "mailto:a@b.c", 0, 7 * 86400);
  auto lj = split(long_lived.substr(8, long_lived.find(", k=") - 8));
  EXPECT_EQ(lj.claims.at("exp").as_int64(), 86400);
  EXPECT_EQ(lj.claims.at("aud").as_string(), "http://127.0.0.1:9000");
}

TEST(PushJwt, EndpointOriginRefusesWhatIsNotAnHttpUrl) {
  EXPECT_EQ(endpoint_origin("https://fcm.googleapis.com/fcm/send/x"), "https://fcm.googleapis.com");
  EXPECT_EQ(endpoint_origin("http://localhost:8080/a"), "http://localhost:8080");
  EXPECT_EQ(endpoint_origin("ftp://example.com/a"), "");
  EXPECT_EQ(endpoint_origin("/relative"), "");
  EXPECT_EQ(endpoint_origin("not a url"), "");
}

TEST(PushJwt, Rs256VerifiesWithTheServiceAccountsPublicKey) {
  EVP_PKEY* rsa = EVP_RSA_gen(2048);
  ASSERT_NE(rsa, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, rsa, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, len);
  BIO_free(bio);
  auto j = split(rs256_jwt({{"iss", "svc@project.iam.gserviceaccount.com"}}, pem, "key-1"));
  EXPECT_EQ(j.header.at("alg").as_string(), "RS256");
  EXPECT_EQ(j.header.at("kid").as_string(), "key-1");
  EXPECT_EQ(j.claims.at("iss").as_string(), "svc@project.iam.gserviceaccount.com");
  EXPECT_TRUE(verify(rsa, j.signing_input, j.signature));
  EXPECT_FALSE(verify(rsa, j.signing_input + ".", j.signature));
  EVP_PKEY_free(rsa);
  EXPECT_THROW(rs256_jwt({}, "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n", ""),
               std::invalid_argument);
}

// ---------------------------------------------------------------- the VAPID key's home

TEST(PushVapidKey, MadeOnceInTheDataDirPrivateAndKeptAcrossStarts) {
  auto dir = std::filesystem::temp_directory_path() / ("wp_vapid_" + wp::random_hex(6));
  std::filesystem::create_directories(dir);
  auto first = load_vapid_key("", dir.string());
  auto again = load_vapid_key("", dir.string());
  EXPECT_EQ(first.private_raw, again.private_raw);
  EXPECT_EQ(first.public_raw, again.public_raw);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "vapid_private_key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  // A configured key wins over the file; a bad one is refused with its name.
  auto configured = load_vapid_key(kAsPrivate, dir.string());
  EXPECT_EQ(wp::crypto::base64url_encode(configured.public_raw), kAsPublic);
  try {
    load_vapid_key("short", dir.string());
    FAIL() << "a bad key was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("vapid_private_key"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
