#pragma once
// One blocking HTTP POST through libcurl, for the push services, the OAuth2
// token endpoint and the Janus SFU. Call it on the blocking pool or a worker
// thread.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wp {

struct HttpPost {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  long timeout_ms = 10000;           // the whole exchange
  std::size_t max_body = 64 * 1024;  // the answer's body is cut here
};

struct HttpAnswer {
  int status = 0;                    // 0: no answer (error says why)
  std::string body;                  // the first max_body bytes
  std::optional<int> retry_after_s;  // Retry-After in seconds (or an HTTP date, converted)
  std::string error;
};

// Only http and https; redirects are not followed (the services we call answer themselves).
HttpAnswer http_post(const HttpPost& request, std::int64_t now_s);

// "120" or an HTTP date, as seconds from now_s; nullopt when unreadable.
std::optional<int> parse_retry_after(const std::string& value, std::int64_t now_s);

}  // namespace wp
