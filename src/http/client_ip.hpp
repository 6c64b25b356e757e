#pragma once
// The client's address when the server sits behind reverse proxies: the
// TCP peer, unless it is a trusted proxy; then the right-most address of
// X-Forwarded-For that is not one (what the last trusted hop saw).
#include <optional>
#include <string>
#include <vector>

namespace wp::http {

std::string client_ip(const std::string& peer, const std::optional<std::string>& forwarded_for,
                      const std::vector<std::string>& trusted_proxies);

}  // namespace wp::http
