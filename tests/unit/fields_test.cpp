// wp::Fields (core/fields.hpp): no text it hands out holds NUL, which
// PostgreSQL cannot store (a string field, or an object field with NUL in
// any key or string inside it, is a field error).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

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

TEST(Fields, AnIdListIsUpToItsLengthOfUuidsLowerCased) {
  const std::string a = "0B2A4D5E-6F70-4812-9A3B-4C5D6E7F8091", b = "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5";
  auto read = [](const json::object& body, std::vector<std::string>& out) {
    wp::Fields f(body);
    out = f.optional_id_list("ids", 2);
    try {
      f.done();
    } catch (const wp::Error& e) {
      return e.fields();
    }
    return wp::FieldErrors{};
  };
  std::vector<std::string> ids;
  EXPECT_TRUE(read({}, ids).empty());
  EXPECT_TRUE(ids.empty());
  EXPECT_TRUE(read({{"ids", nullptr}}, ids).empty());
  EXPECT_TRUE(read({{"ids", json::array{a, b}}}, ids).empty());
  EXPECT_EQ(ids, (std::vector<std::string>{"0b2a4d5e-6f70-4812-9a3b-4c5d6e7f8091", b}));
  EXPECT_EQ(read({{"ids", json::array{a, b, b}}}, ids).at("ids").at(0), "Must be a list of at most 2 ids.");
  EXPECT_EQ(read({{"ids", a}}, ids).at("ids").at(0), "Must be a list of at most 2 ids.");
  EXPECT_EQ(read({{"ids", json::array{a, "not-an-id"}}}, ids).at("ids").at(0), "Each entry must be an id (UUID).");
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ(read({{"ids", json::array{1}}}, ids).at("ids").at(0), "Each entry must be an id (UUID).");
}

}  // namespace
