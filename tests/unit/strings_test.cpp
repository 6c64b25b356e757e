#include <gtest/gtest.h>

#include "core/strings.hpp"

namespace {

using wp::utf8_prefix;

TEST(Utf8Prefix, ShortTextIsKeptWhole) { EXPECT_EQ(utf8_prefix("abc", 3), "abc"); }

TEST(Utf8Prefix, CutsBeforeACharacterThatWouldNotFit) {
  std::string text = "ab\xc3\xa9" "cd";  // a, b, é (2 bytes), c, d
  EXPECT_EQ(utf8_prefix(text, 2), "ab");
  EXPECT_EQ(utf8_prefix(text, 3), "ab");  // not half of the é
  EXPECT_EQ(utf8_prefix(text, 4), "ab\xc3\xa9");
  std::string cjk = "\xe4\xb8\xad\xe6\x96\x87";  // two 3-byte characters
  EXPECT_EQ(utf8_prefix(cjk, 5), "\xe4\xb8\xad");
  EXPECT_EQ(utf8_prefix(cjk, 2), "");
  EXPECT_EQ(utf8_prefix("\xf0\x9f\x8e\xac!", 4), "\xf0\x9f\x8e\xac");  // a 4-byte emoji kept whole
}

}  // namespace
