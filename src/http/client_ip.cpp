#include "http/client_ip.hpp"

#include <algorithm>

namespace wp::http {

namespace {

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// IPv4 peers may show up as IPv4-mapped IPv6 on a dual-stack socket.
std::string plain(const std::string& ip) { return ip.rfind("::ffff:", 0) == 0 ? ip.substr(7) : ip; }

}  // namespace

std::string client_ip(const std::string& peer, const std::optional<std::string>& forwarded_for,
                      const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& ip) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), plain(ip)) != trusted_proxies.end();
  };
  if (!forwarded_for || !trusted(peer)) return peer;
  std::string list = *forwarded_for;
  // Right to left: every hop appends the address it received the request from.
  for (auto end = list.size();;) {
    auto comma = list.rfind(',', end == 0 ? 0 : end - 1);
    auto start = comma == std::string::npos ? 0 : comma + 1;
    auto hop = trim(list.substr(start, end - start));
    if (!hop.empty() && !trusted(hop)) return hop;
    if (comma == std::string::npos) return peer;
    end = comma;
  }
}

}  // namespace wp::http
