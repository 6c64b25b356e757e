#include <gtest/gtest.h>

#include "http/header_values.hpp"

namespace {

using wp::http::header_param;
using wp::http::trim_blanks;

TEST(HeaderValues, TrimBlanksTakesSpacesAndTabsFromBothEnds) {
  EXPECT_EQ(trim_blanks(" \tform-data \t"), "form-data");
  EXPECT_EQ(trim_blanks("   "), "");
  EXPECT_EQ(trim_blanks("a b"), "a b");
}

TEST(HeaderValues, ParamsQuotedOrNotInAnyCase) {
  std::string_view cd = R"(form-data; NAME="file"; filename="a \"b\".mp4";size=12 )";
  EXPECT_EQ(header_param(cd, "name"), "file");
  EXPECT_EQ(header_param(cd, "filename"), R"(a "b".mp4)");
  EXPECT_EQ(header_param(cd, "size"), "12");
  EXPECT_EQ(header_param(cd, "missing"), std::nullopt);
  EXPECT_EQ(header_param("multipart/form-data; boundary=----x1", "boundary"), "----x1");
}

TEST(HeaderValues, ANameInsideAnotherValueIsNotAParam) {
  // "name=" inside filename's quoted value must not be read as the name parameter.
  EXPECT_EQ(header_param(R"(form-data; filename="x; name=evil")", "name"), std::nullopt);
  EXPECT_EQ(header_param("boundary=abc", "boundary"), std::nullopt);  // a parameter follows a ';'
}

}  // namespace
