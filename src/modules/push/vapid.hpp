#pragma once
// VAPID (RFC 8292): the server's P-256 key pair, kept in the data dir or set
// in the config, and the Authorization header a push request carries.
#include <cstdint>
#include <string>

#include "modules/push/ec_key.hpp"

namespace wp::push {

// configured: the base64url private key from the config ("" for none).
// Without one, <data_dir>/vapid_private_key is read, or made (mode 0600)
// on first start; two processes starting at once agree on one file.
// Throws std::runtime_error naming the problem (a bad key, an unwritable dir).
P256KeyPair load_vapid_key(const std::string& configured, const std::string& data_dir);

// The origin of a push endpoint (scheme://host[:port]), the JWT's aud;
// "" when the endpoint is not an absolute http(s) URL.
std::string endpoint_origin(const std::string& endpoint);

// `vapid t=<jwt>, k=<public key>` for a request to endpoint, the JWT valid
// for ttl_s (at most 24 h) from now_s.
std::string vapid_authorization(const std::string& endpoint, const P256KeyPair& key, const std::string& subject,
                                std::int64_t now_s, int ttl_s);

}  // namespace wp::push
