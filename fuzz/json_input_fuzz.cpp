// libFuzzer target: client JSON (request bodies, socket messages) through
// the limited parser. Any crash, leak or sanitizer report fails the run.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static constexpr wp::JsonLimits kSmall{.max_depth = 8, .max_values = 64, .max_string = 32};
  (void)wp::try_parse_client_json(text);
  (void)wp::try_parse_client_json(text, kSmall);
  return 0;
}
