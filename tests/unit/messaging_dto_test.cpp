// The checks of client-supplied message metadata (link previews): https
// only, bounded, no other keys (docs/api.md, "Messaging").
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/messaging/dto.hpp"
#include "support/error_code.hpp"

namespace {

using wp::ErrorCode;
using wp::messaging::checked_metadata;
using wp::testkit::error_code_of;

ErrorCode check(const char* text) {
  return error_code_of([&] { checked_metadata(boost::json::parse(text)); });
}

TEST(MessagingMetadata, AcceptsHttpsPreviewsAndNormalizes) {
  auto out = checked_metadata(boost::json::parse(
      R"({"link_previews":[{"url":"https://a.example/x","title":"T","image_url":"https://a.example/i.png"}]})"));
  EXPECT_EQ(boost::json::parse(out).at("link_previews").at(0).at("title").as_string(), "T");
  EXPECT_EQ(checked_metadata(boost::json::parse("{}")), R"({"link_previews":[]})");
}

TEST(MessagingMetadata, RefusesWhatIsNotAnHttpsPreview) {
  EXPECT_EQ(check(R"({"link_previews":[{"url":"http://a.example"}]})"), ErrorCode::validation);
  EXPECT_EQ(check(R"({"link_previews":[{"url":"https://a.example/ x"}]})"), ErrorCode::validation);
  EXPECT_EQ(check(R"({"link_previews":[{"title":"no url"}]})"), ErrorCode::validation);
  EXPECT_EQ(check(R"({"link_previews":[{"url":"https://a.example","script":"x"}]})"), ErrorCode::validation);
  EXPECT_EQ(check(R"({"other":true})"), ErrorCode::validation);
  EXPECT_EQ(check(R"([1])"), ErrorCode::validation);
  EXPECT_EQ(check(R"({"link_previews":[{"url":"https://a"},{"url":"https://b"},{"url":"https://c"},{"url":"https://d"}]})"),
            ErrorCode::validation);
  std::string long_title = R"({"link_previews":[{"url":"https://a.example","title":")" + std::string(201, 't') + "\"}]}";
  EXPECT_EQ(check(long_title.c_str()), ErrorCode::validation);
}

}  // namespace
