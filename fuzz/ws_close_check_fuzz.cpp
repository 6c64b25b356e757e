// libFuzzer target: a client's WebSocket bytes through the frame watch under
// Beast's stream (http/ws_close_check.cpp), fed in pieces of varying size as
// reads deliver them; the result must not depend on how the bytes were cut.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/ws_close_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::size_t step = data[0] % 16 + 1;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  wp::http::ClientCloseCheck whole, pieces;
  whole.feed(bytes);
  for (std::size_t i = 0; i < bytes.size(); i += step) pieces.feed(bytes.substr(i, step));
  if (whole.bad_reason() != pieces.bad_reason()) __builtin_trap();
  (void)wp::http::is_utf8(bytes);
  std::string frame(bytes.substr(0, 127));
  (void)wp::http::rewrite_close_code(frame, 1002, 1007);
  return 0;
}
