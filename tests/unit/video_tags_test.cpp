// Video tags (#22): normalization, limits, and the stored text's round trip.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "modules/videos/tags.hpp"

namespace wp::videos {
namespace {

using Tags = std::vector<std::string>;

TEST(VideoTags, NormalizesOrRefuses) {
  EXPECT_EQ(normalize_tag("  #Jazz-Live "), "jazz-live");
  EXPECT_EQ(normalize_tag("café"), "café");  // letters of any script stay as they are
  EXPECT_EQ(normalize_tag(std::string(30, 'a')), std::string(30, 'a'));
  for (auto bad : {"", "#", "two words", "50%", "a_b", "a,b", "x\ty"}) EXPECT_EQ(normalize_tag(bad), "") << bad;
  EXPECT_EQ(normalize_tag(std::string(31, 'a')), "");
}

TEST(VideoTags, TextKeepsOrderAndDropsRepeats) {
  EXPECT_EQ(tags_text({"Rock", "jazz", "#rock"}), "rock jazz");
  EXPECT_EQ(tags_of("rock jazz"), (Tags{"rock", "jazz"}));
  EXPECT_EQ(tags_of(""), Tags{});
  EXPECT_EQ(tags_text_from_csv(" rock , Jazz,,"), "rock jazz");
  EXPECT_EQ(tags_text_from_csv(""), "");
}

TEST(VideoTags, RefusesBadTagsAndMoreThanTen) {
  Tags eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back("t" + std::to_string(i));
  for (auto& tags : {eleven, Tags{"ok", "not ok"}}) {
    try {
      tags_text(tags);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::validation);
      EXPECT_TRUE(e.fields().count("tags"));
    }
  }
  // Repeats count once: ten distinct tags written twice are fine.
  Tags twice;
  for (int r = 0; r < 2; ++r)
    for (int i = 0; i < 10; ++i) twice.push_back("t" + std::to_string(i));
  EXPECT_EQ(tags_of(tags_text(twice)).size(), 10u);
  EXPECT_THROW(tags_text_from_csv("a, b c"), Error);
}

}  // namespace
}  // namespace wp::videos
