#include "modules/parties/calls_ice.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <stdexcept>

namespace wp::parties {

namespace {

std::string hmac_sha1_base64(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), mac, &mac_len))
    throw std::runtime_error("HMAC-SHA1 failed");
  std::string out(4 * ((mac_len + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(mac_len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

boost::json::array urls_json(const std::vector<std::string>& urls) {
  boost::json::array out;
  for (auto& u : urls) out.emplace_back(u);
  return out;
}

}  // namespace

TurnCredential turn_credential(const std::string& secret, const std::string& user_id, std::int64_t now_s,
                               std::int64_t ttl_s) {
  TurnCredential c;
  c.expires_at_s = now_s + ttl_s;
  c.username = std::to_string(c.expires_at_s) + ":" + user_id;
  c.password = hmac_sha1_base64(secret, c.username);
  return c;
}

std::string ice_servers_json(const IceSettings& s, const std::string& user_id, std::int64_t now_s) {
  boost::json::array servers;
  if (!s.stun_urls.empty()) servers.push_back(boost::json::object{{"urls", urls_json(s.stun_urls)}});
  if (!s.turn_urls.empty() && !s.turn_secret.empty()) {
    auto c = turn_credential(s.turn_secret, user_id, now_s, s.turn_ttl_s);
    servers.push_back(boost::json::object{{"urls", urls_json(s.turn_urls)},
                                          {"username", c.username},
                                          {"credential", c.password},
                                          {"expires_at", c.expires_at_s}});
  }
  return boost::json::serialize(servers);
}

}  // namespace wp::parties
