#pragma once
// HS256 JSON Web Tokens for access tokens. The algorithm is pinned: a token
// whose header says anything but HS256 is refused, whatever it carries.
#include <cstdint>
#include <optional>
#include <string>

namespace wp::accounts {

struct AccessClaims {
  std::string sub;  // user id
  std::string sid;  // session id
  std::string jti;
  std::int64_t iat = 0;  // seconds
  std::int64_t exp = 0;  // seconds
};

std::string sign_access_token(const AccessClaims& claims, const std::string& secret);
// nullopt when malformed, not HS256, badly signed, not an access token, or expired at now_s.
std::optional<AccessClaims> verify_access_token(const std::string& token, const std::string& secret,
                                                std::int64_t now_s);

}  // namespace wp::accounts
