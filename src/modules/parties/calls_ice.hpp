#pragma once
// The ICE servers a call member is given: STUN and TURN URLs from the
// settings, and time-limited TURN credentials in coturn's use-auth-secret
// scheme (username "<expiry unix seconds>:<user id>", password
// base64(HMAC-SHA1(secret, username))), which coturn checks with the same
// secret and no database. Pure functions, tested directly.
#include <cstdint>
#include <string>
#include <vector>

namespace wp::parties {

struct TurnCredential {
  std::string username, password;
  std::int64_t expires_at_s = 0;
};

TurnCredential turn_credential(const std::string& secret, const std::string& user_id, std::int64_t now_s,
                               std::int64_t ttl_s);

struct IceSettings {
  std::vector<std::string> stun_urls, turn_urls;
  std::string turn_secret;
  std::int64_t turn_ttl_s = 86400;
};

// The RTCPeerConnection `iceServers` list (JSON text): STUN without
// credentials; TURN with a fresh credential when a secret is configured.
std::string ice_servers_json(const IceSettings& s, const std::string& user_id, std::int64_t now_s);

}  // namespace wp::parties
