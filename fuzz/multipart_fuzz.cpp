// libFuzzer target: a multipart/form-data body (avatars, small uploads). The
// first line of the input is the Content-Type value, the rest the body. Only
// wp::Error (400 or 415) may leave the parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "http/multipart.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto nl = text.find('\n');
  if (nl == std::string_view::npos) return 0;
  wp::http::Request req;
  req.method = "POST";
  req.headers.emplace_back("Content-Type", std::string(text.substr(0, nl)));
  req.body = std::string(text.substr(nl + 1));
  try {
    auto parts = wp::http::parse_multipart(req);
    for (const auto& p : parts) (void)wp::http::find_part(parts, p.name);
  } catch (const wp::Error&) {
  }
  return 0;
}
