#pragma once
// The two signed JWTs push sends: ES256 for VAPID (RFC 8292) and RS256 for
// the FCM service-account grant (RFC 7523). Compact form, base64url parts.
#include <boost/json.hpp>

#include <string>

#include "modules/push/ec_key.hpp"

namespace wp::push {

std::string es256_jwt(const boost::json::object& claims, const P256KeyPair& key);
// kid: the service account's private_key_id ("" leaves it out).
std::string rs256_jwt(const boost::json::object& claims, const std::string& private_key_pem, const std::string& kid);

}  // namespace wp::push
