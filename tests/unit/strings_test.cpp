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

TEST(StorableText, ValidUtf8IsKeptAsItIs) {
  EXPECT_EQ(wp::storable_text("Mozilla/5.0 caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x8e\xac", 100),
            "Mozilla/5.0 caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x8e\xac");
}

TEST(StorableText, EachBadByteAndNulBecomesAReplacementCharacter) {
  const std::string r = "\xef\xbf\xbd";
  EXPECT_EQ(wp::storable_text("Caf\xe9!", 100), "Caf" + r + "!");                      // Latin-1
  EXPECT_EQ(wp::storable_text(std::string("a\0b", 3), 100), "a" + r + "b");            // NUL
  EXPECT_EQ(wp::storable_text("\xc0\x80", 100), r + r);                               // overlong
  EXPECT_EQ(wp::storable_text("\xed\xa0\x80", 100), r + r + r);                      // a UTF-16 surrogate
  EXPECT_EQ(wp::storable_text("\xf4\x90\x80\x80", 100), r + r + r + r);             // past U+10FFFF
  EXPECT_EQ(wp::storable_text("ok\xe4\xb8", 100), "ok" + r + r);                      // cut short
  EXPECT_EQ(wp::storable_text("\x80x", 100), r + "x");                                 // a lone continuation
}

TEST(StorableText, CutsBeforeACharacterThatWouldNotFit) {
  EXPECT_EQ(wp::storable_text("ab\xc3\xa9", 3), "ab");
  EXPECT_EQ(wp::storable_text("ab\xe9", 4), "ab");  // the replacement takes 3 bytes
  EXPECT_EQ(wp::storable_text("ab\xe9", 5), "ab\xef\xbf\xbd");
  EXPECT_EQ(wp::storable_text(std::string(600, 'x'), 512).size(), 512u);
}

}  // namespace

TEST(ReplaceAll, ReplacesEveryOccurrenceAndNeverItsOwnOutput) {
  std::string s = "{w} and {w}";
  wp::replace_all(s, "{w}", "x{w}");  // the replacement holds the pattern: not replaced again
  EXPECT_EQ(s, "x{w} and x{w}");
  std::string none = "abc";
  wp::replace_all(none, "z", "y");
  EXPECT_EQ(none, "abc");
}
