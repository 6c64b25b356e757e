#pragma once
// The text side of search, without SQL: the websearch syntax a person types
// (words, "quoted phrases", -excluded, `or`), its translation to an FTS5
// expression, the trigram similarity of "did you mean", and the marked
// fragments turned into safe HTML. PostgreSQL reads the same syntax itself
// (websearch_to_tsquery); these helpers give SQLite the same meaning.
#include <string>
#include <string_view>
#include <vector>

namespace wp::search {

struct Token {
  enum Kind { word, phrase, excluded, or_ } kind = word;
  std::vector<std::string> words;  // lower-cased; one for word and excluded
};

// Words are runs of letters and digits (any byte of a multi-byte UTF-8
// character counts as a letter); everything else separates them.
std::vector<std::string> split_words(std::string_view text);
std::vector<Token> parse_query(std::string_view text);
// The words that must match (words and phrase words, not excluded ones).
std::vector<std::string> positive_words(const std::vector<Token>& tokens);
// An FTS5 MATCH expression; empty when nothing positive is asked (no results).
std::string to_fts5(const std::vector<Token>& tokens);
// The tokens written back as websearch text.
std::string to_text(const std::vector<Token>& tokens);

// Autocomplete: every word must match a title, the last one as a prefix.
std::string fts5_title_prefix(const std::vector<std::string>& words);
std::string tsquery_prefix(const std::vector<std::string>& words);

// pg_trgm's measure: trigrams of "  word ", shared / union.
double trigram_similarity(std::string_view a, std::string_view b);

// HTML-escapes a marked text and turns the marks into <mark></mark>.
std::string marked_to_html(std::string_view marked);

}  // namespace wp::search
