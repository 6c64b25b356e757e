#pragma once
// The word list of ContentFlag: entries and text are normalized alike, so
// that case, accents, repeated letters, basic leetspeak and letters spelled
// apart ("b.a.d") do not evade it. Matching is by whole words (a phrase
// entry matches its words in a row), so "class" never matches "ass".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wp::moderation {

// The words of text, folded: lower case, accents removed, 0→o 1→i 3→e 4→a
// 5→s 7→t @→a $→s, a letter three or more times in a row kept once; anything else
// separates words; a run of three or more one-letter words joins into one.
std::vector<std::string> normalized_words(std::string_view text);

class WordFilter {
 public:
  WordFilter() = default;
  explicit WordFilter(const std::vector<std::string>& entries);
  // Entries from a comma-separated setting and a file of one per line
  // (blank lines and lines starting with # skipped). Throws std::runtime_error
  // when the file cannot be read.
  static WordFilter from_settings(const std::string& list, const std::string& file);

  // The entry text matches, as written in the list; nullopt when none does.
  std::optional<std::string> match(std::string_view text) const;
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    std::string original;
    std::vector<std::string> words;
  };
  std::vector<Entry> entries_;
};

}  // namespace wp::moderation
