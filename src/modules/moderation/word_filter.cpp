#include "modules/moderation/word_filter.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace wp::moderation {

namespace {

// Leetspeak basics: the stand-ins a word filter meets most.
UChar32 unleet(UChar32 c) {
  switch (c) {
    case '0': return 'o';
    case '1': case '!': case '|': return 'i';
    case '3': return 'e';
    case '4': case '@': return 'a';
    case '5': case '$': return 's';
    case '7': case '+': return 't';
    default: return c;
  }
}

// A '!', '|' or '+' followed by nothing but more of them up to a space or
// the end: punctuation, not a letter standing in.
bool ends_sentence(const icu::UnicodeString& text, int32_t i) {
  UChar32 first = text.char32At(i);
  if (first != '!' && first != '|' && first != '+') return false;
  for (; i < text.length(); i = text.moveIndex32(i, 1)) {
    UChar32 c = text.char32At(i);
    if (u_isUWhiteSpace(c)) return true;
    if (c != '!' && c != '|' && c != '+') return false;
  }
  return true;
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, U8_MAX_LENGTH, c, error);
  if (!error) out.append(buf, static_cast<std::size_t>(n));
}

// A letter three or more times in a row counts once ("baaad" is "bad"); a
// double stays ("ass" is not "as", "kill" not "kil").
std::string finish(const std::u32string& letters) {
  std::string out;
  for (std::size_t i = 0; i < letters.size();) {
    std::size_t j = i;
    while (j < letters.size() && letters[j] == letters[i]) ++j;
    for (std::size_t k = 0; k < (j - i >= 3 ? 1 : j - i); ++k) append_utf8(out, static_cast<UChar32>(letters[i]));
    i = j;
  }
  return out;
}

// Joins runs of three or more one-letter words ("b a d" -> "bad").
std::vector<std::string> join_spelled_out(const std::vector<std::u32string>& words) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < words.size()) {
    std::size_t j = i;
    while (j < words.size() && words[j].size() == 1) ++j;
    if (j - i >= 3) {
      std::u32string joined;
      for (std::size_t k = i; k < j; ++k) joined += words[k];
      out.push_back(finish(joined));
      i = j;
    } else {
      out.push_back(finish(words[i]));
      ++i;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> normalized_words(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(source, status) : source;
  if (U_FAILURE(status)) decomposed = source;
  std::vector<std::u32string> words;
  std::u32string word;
  auto end_word = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  const int32_t n = decomposed.length();
  for (int32_t i = 0; i < n; i = decomposed.moveIndex32(i, 1)) {
    UChar32 c = decomposed.char32At(i);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;  // an accent, apart from its letter after NFD
    if (ends_sentence(decomposed, i)) c = ' ';  // "bad!!" is "bad", not "badi"
    c = u_foldCase(unleet(c), U_FOLD_CASE_DEFAULT);
    if (!u_isalpha(c)) {
      end_word();
      continue;
    }
    word.push_back(static_cast<char32_t>(c));
  }
  end_word();
  return join_spelled_out(words);
}

WordFilter::WordFilter(const std::vector<std::string>& entries) {
  for (auto& e : entries) {
    auto words = normalized_words(e);
    if (!words.empty()) entries_.push_back({e, std::move(words)});
  }
}

WordFilter WordFilter::from_settings(const std::string& list, const std::string& file) {
  std::vector<std::string> entries;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    entries.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read moderation_word_file " + file);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] != '#') entries.push_back(line);
  }
  return WordFilter(entries);
}

std::optional<std::string> WordFilter::match(std::string_view text) const {
  if (entries_.empty()) return std::nullopt;
  auto words = normalized_words(text);
  for (auto& e : entries_) {
    if (e.words.size() > words.size()) continue;
    auto hit = std::search(words.begin(), words.end(), e.words.begin(), e.words.end());
    if (hit != words.end()) return e.original;
  }
  return std::nullopt;
}

}  // namespace wp::moderation
