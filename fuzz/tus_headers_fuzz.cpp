// libFuzzer target: the tus Upload-Metadata header (keys with base64 values).
// Only wp::Error (400) may leave the parser.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "modules/videos/tus_metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string header(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& [key, value] : wp::videos::parse_upload_metadata(header))
      if (key.empty() || key.size() > 64 || value.size() > 5000) __builtin_trap();
  } catch (const wp::Error&) {
  }
  return 0;
}
