#include "modules/accounts/jwt.hpp"

#include <boost/json.hpp>

#include "core/crypto.hpp"

namespace wp::accounts {

namespace json = boost::json;

namespace {
const std::string kHeader = crypto::base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
}

std::string sign_access_token(const AccessClaims& c, const std::string& secret) {
  json::object payload{{"sub", c.sub}, {"sid", c.sid}, {"jti", c.jti}, {"iat", c.iat}, {"exp", c.exp},
                       {"typ", "access"}};
  std::string signing_input = kHeader + "." + crypto::base64url_encode(json::serialize(payload));
  return signing_input + "." + crypto::base64url_encode(crypto::hmac_sha256(secret, signing_input));
}

std::optional<AccessClaims> verify_access_token(const std::string& token, const std::string& secret,
                                                std::int64_t now_s) {
  auto dot1 = token.find('.');
  if (dot1 == std::string::npos) return std::nullopt;
  auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string::npos || token.find('.', dot2 + 1) != std::string::npos) return std::nullopt;
  std::string header_raw, payload_raw, sig_raw;
  if (!crypto::base64url_decode(std::string_view(token).substr(0, dot1), header_raw) ||
      !crypto::base64url_decode(std::string_view(token).substr(dot1 + 1, dot2 - dot1 - 1), payload_raw) ||
      !crypto::base64url_decode(std::string_view(token).substr(dot2 + 1), sig_raw))
    return std::nullopt;
  // Check the signature before trusting anything inside.
  auto expected = crypto::hmac_sha256(secret, std::string_view(token).substr(0, dot2));
  if (!crypto::constant_time_equal(expected, sig_raw)) return std::nullopt;
  boost::system::error_code ec;
  auto header = json::parse(header_raw, ec);
  if (ec || !header.is_object()) return std::nullopt;
  auto alg = header.as_object().if_contains("alg");
  if (!alg || !alg->is_string() || alg->as_string() != "HS256") return std::nullopt;
  auto payload = json::parse(payload_raw, ec);
  if (ec || !payload.is_object()) return std::nullopt;
  auto& p = payload.as_object();
  auto str = [&](const char* k) -> std::optional<std::string> {
    auto v = p.if_contains(k);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
  };
  auto num = [&](const char* k) -> std::optional<std::int64_t> {
    auto v = p.if_contains(k);
    if (!v || !v->is_int64()) return std::nullopt;
    return v->as_int64();
  };
  auto sub = str("sub"), sid = str("sid"), jti = str("jti"), typ = str("typ");
  auto iat = num("iat"), exp = num("exp");
  if (!sub || !sid || !jti || !typ || *typ != "access" || !iat || !exp) return std::nullopt;
  if (*exp <= now_s || *iat > now_s + 60) return std::nullopt;
  return AccessClaims{*sub, *sid, *jti, *iat, *exp};
}

}  // namespace wp::accounts
