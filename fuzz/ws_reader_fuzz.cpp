// libFuzzer target: a client's WebSocket bytes through the frame reader
// (http/ws_reader.cpp), whole and in pieces of varying size as reads deliver
// them: what the reader reports must not depend on how the bytes were cut.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/ws_reader.hpp"

namespace {

struct Transcript final : wp::http::WsReaderSink {
  std::string events;
  bool on_message(const std::string& m) override {
    events += "m" + std::to_string(m.size()) + ":" + m;
    return true;
  }
  void on_ping(std::string_view p) override { events += "p" + std::string(p); }
  void on_peer_close(std::uint16_t code) override { events += "c" + std::to_string(code); }
  void on_violation(std::uint16_t code, std::string_view) override { events += "v" + std::to_string(code); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::size_t step = data[0] % 16 + 1;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  wp::http::WsReader whole_reader(4096), pieces_reader(4096);
  Transcript whole, pieces;
  whole_reader.feed(bytes, whole);
  for (std::size_t i = 0; i < bytes.size(); i += step)
    if (!pieces_reader.feed(bytes.substr(i, step), pieces)) break;
  if (whole.events != pieces.events) __builtin_trap();
  return 0;
}
