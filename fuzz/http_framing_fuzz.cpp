// libFuzzer target: the framing rules around Beast (Transfer-Encoding,
// Content-Length, line endings, Sec-WebSocket-Key, the request line's
// version). The input is split into header lines "name: value"; the rules
// must never crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/framing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)wp::http::has_bare_line_ending(text);
  (void)wp::http::is_websocket_key(text);
  std::size_t minor_at = 0;
  if (wp::http::request_line_version(text, &minor_at) == wp::http::RequestVersion::read_as_1_1 &&
      (minor_at >= size || data[minor_at] < '2' || data[minor_at] > '9'))
    __builtin_trap();  // the digit the session rewrites must be the minor version's
  wp::http::Headers headers;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    auto colon = line.find(':');
    if (colon != std::string_view::npos)
      headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  (void)wp::http::framing_error(headers);
  return 0;
}
