#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "core/json_input.hpp"

using wp::JsonLimits;
using wp::parse_client_json;
using wp::try_parse_client_json;

namespace {

std::string array_of(std::size_t n) {
  std::string s = "[";
  for (std::size_t i = 0; i < n; ++i) s += i ? ",0" : "0";
  return s + "]";
}

}  // namespace

TEST(JsonInput, WithinTheLimitsParsesIntoItsOwnArena) {
  auto v = parse_client_json(R"({"a": [1, 2, {"b": "c"}], "d": null})");
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.at("a").as_array().size(), 3u);
  EXPECT_NE(v.storage().get(), boost::json::storage_ptr().get());  // not the default heap
  auto copy = v.as_object();  // the arena lives as long as any value that uses it
  v = nullptr;
  EXPECT_EQ(copy.at("a").as_array()[2].at("b").as_string(), "c");
}

TEST(JsonInput, TooManyValuesAreRefusedBeforeAnyDocumentIsBuilt) {
  JsonLimits small{.max_depth = 8, .max_values = 100, .max_string = 64};
  EXPECT_TRUE(try_parse_client_json(array_of(99), small));  // 99 elements and the array
  EXPECT_FALSE(try_parse_client_json(array_of(100), small));
  EXPECT_FALSE(try_parse_client_json(array_of(500'000)));
}

TEST(JsonInput, DepthAndStringLengthAreBounded) {
  JsonLimits small{.max_depth = 3, .max_values = 100, .max_string = 4};
  EXPECT_TRUE(try_parse_client_json("[[[1]]]", small));
  EXPECT_FALSE(try_parse_client_json("[[[[1]]]]", small));
  EXPECT_FALSE(try_parse_client_json(R"({"a":{"b":{"c":{}}}})", small));
  EXPECT_TRUE(try_parse_client_json(R"({"abcd": "wxyz"})", small));
  EXPECT_FALSE(try_parse_client_json(R"({"abcd": "vwxyz"})", small));
  EXPECT_FALSE(try_parse_client_json(R"({"abcde": 1})", small));
}

TEST(JsonInput, SyntaxErrorsAndTrailingDataAre400) {
  for (auto bad : {"{", "[1,]", "{} {}", "nul", "\"\\x\""}) {
    EXPECT_FALSE(try_parse_client_json(bad)) << bad;
    try {
      parse_client_json(bad);
      ADD_FAILURE() << bad;
    } catch (const wp::Error& e) {
      EXPECT_EQ(e.code(), wp::ErrorCode::validation);
    }
  }
}

TEST(StoredObject, AnObjectIsReadAndAnythingElseIsEmpty) {
  auto o = wp::stored_object(R"({"theme":"dark","n":2})");
  EXPECT_EQ(o.at("theme").as_string(), "dark");
  EXPECT_EQ(o.at("n").as_int64(), 2);
  EXPECT_TRUE(wp::stored_object("").empty());
  EXPECT_TRUE(wp::stored_object("[1,2]").empty());
  EXPECT_TRUE(wp::stored_object("{broken").empty());
}
