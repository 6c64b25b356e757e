#include "http/client_ip.hpp"

#include <algorithm>

#include "core/strings.hpp"

namespace wp::http {

namespace {

// IPv4 peers may show up as IPv4-mapped IPv6 on a dual-stack socket.
std::string plain(const std::string& ip) { return ip.rfind("::ffff:", 0) == 0 ? ip.substr(7) : ip; }

}  // namespace

std::string client_ip(const std::string& peer, const std::optional<std::string>& forwarded_for,
                      const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& ip) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), plain(ip)) != trusted_proxies.end();
  };
  if (!forwarded_for || !trusted(peer)) return peer;
  // Right to left: every hop appends the address it received the request from.
  auto hops = split_list(*forwarded_for);
  auto client = std::find_if(hops.rbegin(), hops.rend(), [&](const std::string& hop) { return !trusted(hop); });
  return client == hops.rend() ? peer : *client;
}

}  // namespace wp::http
