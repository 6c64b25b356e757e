// The WebSocket frame reader (RFC 6455 §5), the handshake's answer (§4.2.2)
// and the server's control frames: what the hand-made framing in
// websocket_session.cpp rests on. tests/integration/test_ws_conformance.py
// checks the same rules on a real socket.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/ws_frame.hpp"
#include "http/ws_handshake.hpp"
#include "http/ws_reader.hpp"

using wp::http::is_utf8;
using wp::http::WsReader;
using wp::http::WsReaderSink;

namespace {

// A masked client frame, as a browser sends it.
std::string frame(int opcode, const std::string& payload, bool fin = true, int rsv = 0, bool mask = true) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | opcode);
  auto n = payload.size();
  int m = mask ? 0x80 : 0;
  if (n < 126) {
    out += static_cast<char>(m | static_cast<int>(n));
  } else if (n < 65536) {
    out += static_cast<char>(m | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xFF);
  } else {
    out += static_cast<char>(m | 127);
    for (int k = 7; k >= 0; --k) out += static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * k)) & 0xFF);
  }
  if (!mask) return out + payload;
  const char key[4] = {0x12, 0x34, 0x56, 0x78};
  out.append(key, 4);
  for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(payload[i] ^ key[i % 4]);
  return out;
}

std::string close_payload(int code, const std::string& reason = "") {
  return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)} + reason;
}

struct Recorder final : WsReaderSink {
  std::vector<std::string> events;
  int stop_after = -1;  // messages, then on_message says stop
  bool on_message(const std::string& m) override {
    events.push_back("message:" + (m.size() > 20 ? std::to_string(m.size()) + " bytes" : m));
    return --stop_after != 0;
  }
  void on_ping(std::string_view p) override { events.push_back("ping:" + std::string(p)); }
  void on_peer_close(std::uint16_t code) override { events.push_back("close:" + std::to_string(code)); }
  void on_violation(std::uint16_t code, std::string_view) override {
    events.push_back("violation:" + std::to_string(code));
  }
};

std::vector<std::string> read_all(const std::string& bytes, std::size_t step = 0, std::size_t max = 65536) {
  WsReader reader(max);
  Recorder sink;
  if (step == 0) step = bytes.size() + 1;
  for (std::size_t i = 0; i < bytes.size(); i += step)
    if (!reader.feed(std::string_view(bytes).substr(i, step), sink)) break;
  return sink.events;
}

std::string last(const std::string& bytes) {
  auto events = read_all(bytes);
  return events.empty() ? "" : events.back();
}

}  // namespace

TEST(WsReader, MessagesComeOutWholeWhateverTheChunking) {
  std::string bytes = frame(1, "{\"type\":\"ping\"}") + frame(9, "hi") + frame(2, std::string(300, 'x')) +
                      frame(1, std::string(65536, 'y')) + frame(1, "{", false) + frame(10, "") + frame(9, "") +
                      frame(0, "\"a\":", false) + frame(0, "1}") + frame(1, "");
  std::vector<std::string> want = {"message:{\"type\":\"ping\"}", "ping:hi", "message:300 bytes",
                                   "message:65536 bytes", "ping:", "message:{\"a\":1}", "message:"};
  EXPECT_EQ(read_all(bytes), want);
  EXPECT_EQ(read_all(bytes, 1), want);
  EXPECT_EQ(read_all(bytes, 7), want);
  EXPECT_EQ(read_all(bytes, 4096), want);
}

TEST(WsReader, UnmasksWithTheFramesKey) {
  std::string text = "\xc3\xa9t\xc3\xa9 \xe2\x82\xac";  // UTF-8 across mask boundaries
  EXPECT_EQ(read_all(frame(1, text), 3), std::vector<std::string>{"message:" + text});
}

TEST(WsReader, EachProtocolViolationHasItsCode) {
  struct Case {
    const char* name;
    std::string bytes;
    const char* event;
  };
  std::vector<Case> cases = {
      {"reserved opcode", frame(3, "x"), "violation:1002"},
      {"reserved control opcode", frame(11, "x"), "violation:1002"},
      {"RSV1", frame(1, "x", true, 4), "violation:1002"},
      {"RSV3", frame(1, "x", true, 1), "violation:1002"},
      {"unmasked", frame(1, "x", true, 0, false), "violation:1002"},
      {"control over 125 bytes", frame(9, std::string(126, 'p')), "violation:1002"},
      {"fragmented control", frame(9, "p", false), "violation:1002"},
      {"continuation without a start", frame(0, "x"), "violation:1002"},
      {"new message inside one", frame(1, "{", false) + frame(1, "}"), "violation:1002"},
      {"text not UTF-8", frame(1, "\xff"), "violation:1007"},
      {"UTF-8 split wrong over fragments", frame(1, "\xce", false) + frame(0, "\xff"), "violation:1007"},
      {"16-bit length for a short frame", std::string("\x81\xfe\x00\x05", 4) + "kkkk" + "hello", "violation:1002"},
      {"64-bit length with its top bit", std::string("\x81\xff\x80\x00\x00\x00\x00\x01\x00\x00kkkk", 14),
       "violation:1002"},
  };
  for (auto& c : cases) EXPECT_EQ(last(c.bytes), c.event) << c.name;
  // Binary payloads are not text: any bytes go.
  EXPECT_EQ(last(frame(2, "\xff\xfe")), "message:\xff\xfe");
}

TEST(WsReader, AMessageOverTheLimitIs1009EvenInFragments) {
  EXPECT_EQ(read_all(frame(1, std::string(101, 'x')), 0, 100), std::vector<std::string>{"violation:1009"});
  EXPECT_EQ(read_all(frame(1, std::string(100, 'x')), 0, 100), std::vector<std::string>{"message:100 bytes"});
  auto parts = frame(1, std::string(60, 'x'), false) + frame(0, std::string(41, 'x'));
  EXPECT_EQ(read_all(parts, 0, 100), std::vector<std::string>{"violation:1009"});
}

TEST(WsReader, TheCloseFrameIsCheckedThenEndsReading) {
  EXPECT_EQ(last(frame(8, close_payload(1000))), "close:1000");
  EXPECT_EQ(last(frame(8, close_payload(4999, "bye"))), "close:4999");
  EXPECT_EQ(last(frame(8, "")), "close:1005");
  EXPECT_EQ(last(frame(8, "\x03")), "violation:1002");
  for (int code : {999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    EXPECT_EQ(last(frame(8, close_payload(code))), "violation:1002") << code;
  EXPECT_EQ(last(frame(8, close_payload(1000, "\xff"))), "violation:1007");
  // An invalid code is 1002 whatever the reason says.
  EXPECT_EQ(last(frame(8, close_payload(1005, "\xff"))), "violation:1002");
  // Nothing after the close frame is read.
  EXPECT_EQ(read_all(frame(8, close_payload(1000)) + frame(1, "late")), std::vector<std::string>{"close:1000"});
}

TEST(WsReader, TheSinkCanStopReading) {
  WsReader reader(1000);
  Recorder sink;
  sink.stop_after = 1;
  EXPECT_FALSE(reader.feed(frame(1, "a") + frame(1, "b"), sink));
  EXPECT_FALSE(reader.feed(frame(1, "c"), sink));
  EXPECT_EQ(sink.events, std::vector<std::string>{"message:a"});
}

TEST(WsReader, Utf8IsStrict) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("bye"));
  EXPECT_TRUE(is_utf8("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  for (const char* bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xce", "\x80",
                          "\xe2\x82", "\xf0\x9f\x98"})
    EXPECT_FALSE(is_utf8(bad)) << bad;
}

TEST(WsHandshake, TheAcceptKeyOfTheRfcsExample) {
  EXPECT_EQ(wp::http::websocket_accept("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  auto answer = wp::http::switching_protocols("dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(answer.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u);
  EXPECT_NE(answer.find("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"), std::string::npos);
}

TEST(WsFrame, CloseFramesCarryTheCodeAndACutReason) {
  using wp::http::transport::close_frame;
  EXPECT_EQ(close_frame(1000, ""), std::string("\x88\x02\x03\xe8", 4));
  EXPECT_EQ(close_frame(4008, "slow"), std::string("\x88\x06\x0f\xa8slow", 8));
  EXPECT_EQ(close_frame(1005, "ignored"), std::string("\x88\x00", 2));
  auto long_reason = close_frame(1001, std::string(200, 'r'));
  EXPECT_EQ(long_reason.size(), 2u + 125u);
  EXPECT_EQ(wp::http::transport::server_frame(10, "hi"), "\x8a\x02hi");
}
