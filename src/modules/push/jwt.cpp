#include "modules/push/jwt.hpp"

#include "core/crypto.hpp"

namespace wp::push {

namespace json = boost::json;

namespace {

std::string signing_input(const json::object& header, const json::object& claims) {
  return crypto::base64url_encode(json::serialize(header)) + "." + crypto::base64url_encode(json::serialize(claims));
}

}  // namespace

std::string es256_jwt(const json::object& claims, const P256KeyPair& key) {
  std::string input = signing_input({{"typ", "JWT"}, {"alg", "ES256"}}, claims);
  return input + "." + crypto::base64url_encode(es256_sign(key, input));
}

std::string rs256_jwt(const json::object& claims, const std::string& private_key_pem, const std::string& kid) {
  json::object header{{"alg", "RS256"}, {"typ", "JWT"}};
  if (!kid.empty()) header["kid"] = kid;
  std::string input = signing_input(header, claims);
  return input + "." + crypto::base64url_encode(rs256_sign(private_key_pem, input));
}

}  // namespace wp::push
