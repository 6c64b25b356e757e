// wp::Fields (core/fields.hpp): no text it hands out holds NUL, which
// PostgreSQL cannot store (a string field, or an object field with NUL in
// any key or string inside it, is a field error).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "core/error.hpp"
#include "core/fields.hpp"

namespace {

namespace json = boost::json;

// The messages of every field the body's checks refused, by field.
wp::FieldErrors errors_of(const json::object& body) {
  wp::Fields f(body);
  f.required_string("name", 1, 20);
  f.optional_string("note", 20);
  f.optional_object("data");
  try {
    f.done();
  } catch (const wp::Error& e) {
    return e.fields();
  }
  return {};
}

const std::string kNul("a\0b", 3);

TEST(Fields, TextWithoutNulPasses) {
  EXPECT_TRUE(errors_of({{"name", "ok"}, {"note", "caf\xc3\xa9"}, {"data", json::object{{"k", json::array{"x", 1}}}}})
                  .empty());
}

TEST(Fields, NulInAStringIsAFieldError) {
  auto errors = errors_of({{"name", kNul}, {"note", kNul}});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors.at("name").at(0).find("NUL"), std::string::npos);
  EXPECT_NE(errors.at("note").at(0).find("NUL"), std::string::npos);
}

TEST(Fields, NulAnywhereInAnObjectIsAFieldError) {
  for (const json::object& data : {json::object{{"k", kNul}}, json::object{{kNul, 1}},
                                   json::object{{"k", json::array{1, json::object{{"deep", json::array{kNul}}}}}}}) {
    auto errors = errors_of({{"name", "ok"}, {"data", data}});
    ASSERT_EQ(errors.size(), 1u) << json::serialize(data);
    EXPECT_NE(errors.at("data").at(0).find("NUL"), std::string::npos);
  }
}

}  // namespace
