// The text side of search: the websearch syntax read as PostgreSQL reads it,
// its FTS5 form, trigram similarity and the marked fragments as safe HTML.
#include <gtest/gtest.h>

#include "modules/search/model.hpp"
#include "modules/search/query.hpp"

using namespace wp::search;

TEST(SearchQuery, WordsFoldAsciiCaseAndSplitOnPunctuation) {
  EXPECT_EQ(split_words("Hello, World! x2"), (std::vector<std::string>{"hello", "world", "x2"}));
  EXPECT_EQ(split_words("  ...  "), std::vector<std::string>{});
}

TEST(SearchQuery, WebsearchSyntaxBecomesFts5) {
  EXPECT_EQ(to_fts5(parse_query("space cats")), "(\"space\" AND \"cats\")");
  EXPECT_EQ(to_fts5(parse_query("\"space cats\" -dogs")), "(\"space cats\" NOT \"dogs\")");
  EXPECT_EQ(to_fts5(parse_query("cats or dogs")), "(\"cats\") OR (\"dogs\")");
  EXPECT_EQ(to_fts5(parse_query("dupont-smith")), "(\"dupont smith\")");
}

TEST(SearchQuery, OnlyExclusionsAskForNothing) {
  auto t = parse_query("-cats -dogs");
  EXPECT_TRUE(positive_words(t).empty());
  EXPECT_EQ(to_fts5(t), "");
}

TEST(SearchQuery, QuotesInTheTextCannotBreakTheExpression) {
  auto fts = to_fts5(parse_query("a\"b OR \"c NEAR(d"));
  EXPECT_EQ(fts.find("NEAR("), std::string::npos);
  for (auto& w : positive_words(parse_query("x\"y\"z")))
    EXPECT_EQ(w.find('"'), std::string::npos);
}

TEST(SearchQuery, TextRoundTrips) {
  EXPECT_EQ(to_text(parse_query("Space  \"big cats\" -dogs OR birds")), "space \"big cats\" -dogs or birds");
}

TEST(SearchQuery, PrefixQueriesForAutocomplete) {
  EXPECT_EQ(fts5_title_prefix({"star", "wa"}), "title : \"star\" AND title : \"wa\"*");
  EXPECT_EQ(tsquery_prefix({"star", "wa"}), "star & wa:*");
}

TEST(SearchQuery, TrigramSimilarityIsPgTrgms) {
  EXPECT_DOUBLE_EQ(trigram_similarity("cat", "cat"), 1.0);
  // pg_trgm: similarity('word', 'wrod') = 1/9: one shared trigram ("  w") of nine.
  EXPECT_NEAR(trigram_similarity("word", "wrod"), 1.0 / 9.0, 1e-9);
  EXPECT_DOUBLE_EQ(trigram_similarity("documentary", "documentray"), 0.5);  // as pg_trgm says
  EXPECT_LT(trigram_similarity("documentary", "cats"), 0.1);
}

TEST(SearchQuery, MarkedTextBecomesEscapedHtml) {
  std::string marked = std::string("<b>") + kMarkOpen + "cats" + kMarkClose + " & dogs";
  EXPECT_EQ(marked_to_html(marked), "&lt;b&gt;<mark>cats</mark> &amp; dogs");
}
