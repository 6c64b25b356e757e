#include <gtest/gtest.h>

#include <string>

#include "http/ws_close_check.hpp"

using wp::http::ClientCloseCheck;
using wp::http::is_utf8;
using wp::http::rewrite_close_code;

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

bool bad_reason_after(const std::string& bytes, std::size_t step = 0) {
  ClientCloseCheck check;
  if (step == 0) {
    check.feed(bytes);
  } else {
    for (std::size_t i = 0; i < bytes.size(); i += step) check.feed(std::string_view(bytes).substr(i, step));
  }
  return check.bad_reason();
}

}  // namespace

TEST(WsCloseCheck, Utf8IsStrict) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("bye"));
  EXPECT_TRUE(is_utf8("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  for (const char* bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xce", "\x80",
                          "\xe2\x82", "\xf0\x9f\x98"})
    EXPECT_FALSE(is_utf8(bad)) << bad;
}

TEST(WsCloseCheck, ACloseReasonThatIsNotUtf8IsSeen) {
  EXPECT_TRUE(bad_reason_after(frame(8, close_payload(1000, "\xff"))));
  EXPECT_TRUE(bad_reason_after(frame(8, close_payload(4999, "ok \xce"))));
  // Byte by byte, as a slow client's frames arrive.
  EXPECT_TRUE(bad_reason_after(frame(8, close_payload(1001, "\xc0\xaf")), 1));
}

TEST(WsCloseCheck, AfterOtherFramesOfAnyLength) {
  std::string before = frame(1, "{\"type\":\"ping\"}") + frame(9, "hi") + frame(2, std::string(300, 'x')) +
                       frame(1, std::string(70000, 'y')) + frame(1, "{", false) + frame(10, "") + frame(0, "}");
  EXPECT_TRUE(bad_reason_after(before + frame(8, close_payload(1000, "\xff"))));
  EXPECT_TRUE(bad_reason_after(before + frame(8, close_payload(1000, "\xff")), 7));
  EXPECT_FALSE(bad_reason_after(before + frame(8, close_payload(1000, "fine"))));
}

TEST(WsCloseCheck, OnlyTheReasonMayBeWrong) {
  EXPECT_FALSE(bad_reason_after(frame(8, close_payload(1000, "bye"))));
  EXPECT_FALSE(bad_reason_after(frame(8, "")));
  EXPECT_FALSE(bad_reason_after(frame(8, "\x03")));
  // An invalid code is 1002 whatever the reason says.
  for (int code : {999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    EXPECT_FALSE(bad_reason_after(frame(8, close_payload(code, "\xff")))) << code;
  // Frames Beast refuses on their header: it answers 1002 and reads no further.
  EXPECT_FALSE(bad_reason_after(frame(8, close_payload(1000, "\xff"), false)));
  EXPECT_FALSE(bad_reason_after(frame(8, close_payload(1000, "\xff"), true, 4)));
  EXPECT_FALSE(bad_reason_after(frame(8, close_payload(1000, "\xff"), true, 0, false)));
  EXPECT_FALSE(bad_reason_after(frame(3, "x") + frame(8, close_payload(1000, "\xff"))));
  EXPECT_FALSE(bad_reason_after(frame(0, "x") + frame(8, close_payload(1000, "\xff"))));
  EXPECT_FALSE(bad_reason_after(frame(1, "{", false) + frame(1, "}") + frame(8, close_payload(1000, "\xff"))));
  EXPECT_FALSE(bad_reason_after(frame(9, std::string(126, 'p')) + frame(8, close_payload(1000, "\xff"))));
  // Only the first close frame counts: Beast reads nothing after it.
  EXPECT_FALSE(bad_reason_after(frame(8, close_payload(1000)) + frame(8, close_payload(1000, "\xff"))));
}

TEST(WsCloseCheck, RewritesOnlyTheServersCloseFrameWithThatCode) {
  std::string close1002 = "\x88\x02\x03\xea";
  ASSERT_TRUE(rewrite_close_code(close1002, 1002, 1007));
  EXPECT_EQ(close1002, std::string("\x88\x02\x03\xef"));
  std::string with_reason = std::string("\x88\x05\x03\xea", 4) + "bad";
  ASSERT_TRUE(rewrite_close_code(with_reason, 1002, 1007));
  EXPECT_EQ(with_reason.substr(2, 2), "\x03\xef");
  std::string normal = "\x88\x02\x03\xe8";
  EXPECT_FALSE(rewrite_close_code(normal, 1002, 1007));
  std::string text = "\x81\x02\x03\xea";
  EXPECT_FALSE(rewrite_close_code(text, 1002, 1007));
  std::string empty_close("\x88\x00", 2);
  EXPECT_FALSE(rewrite_close_code(empty_close, 1002, 1007));
}
