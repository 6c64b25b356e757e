// libFuzzer target: the Accept-Encoding header (static files served gzipped).
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/accept_encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string header(reinterpret_cast<const char*>(data), size);
  (void)wp::http::accepts_gzip(header);
  return 0;
}
