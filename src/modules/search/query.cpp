#include "modules/search/query.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "core/strings.hpp"
#include "modules/search/model.hpp"

namespace wp::search {

namespace {

bool word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string quoted(const std::string& w) { return "\"" + w + "\""; }

// The distinct trigrams, each packed in an integer, sorted: "did you mean" measures a word
// against thousands of terms, and sets of strings made that the slow part.
std::vector<std::uint32_t> trigrams(std::string_view word) {
  std::string padded = "  " + lower(std::string(word)) + " ";
  std::vector<std::uint32_t> out;
  out.reserve(padded.size());
  for (std::size_t i = 0; i + 3 <= padded.size(); ++i) {
    auto b = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(padded[i + k])); };
    out.push_back(b(0) << 16 | b(1) << 8 | b(2));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    if (word_byte(static_cast<unsigned char>(ch))) {
      cur.push_back(ch);
    } else if (!cur.empty()) {
      out.push_back(lower(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(lower(cur));
  return out;
}

std::vector<Token> parse_query(std::string_view text) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {
      auto end = text.find('"', i + 1);
      if (end == std::string_view::npos) end = text.size();
      auto words = split_words(text.substr(i + 1, end - i - 1));
      if (!words.empty()) out.push_back({Token::phrase, words});
      i = end + 1;
      continue;
    }
    if (!word_byte(static_cast<unsigned char>(c)) && c != '-') {
      ++i;
      continue;
    }
    auto end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '"') ++end;
    auto chunk = text.substr(i, end - i);
    i = end;
    bool excluded = chunk.front() == '-';
    auto words = split_words(chunk);
    if (words.empty()) continue;
    if (!excluded && words.size() == 1 && words[0] == "or" && chunk.size() == 2) {
      out.push_back({Token::or_, {}});
    } else if (excluded) {
      for (auto& w : words) out.push_back({Token::excluded, {w}});
    } else if (words.size() > 1) {
      out.push_back({Token::phrase, words});  // "dupont-smith" is one phrase, as websearch_to_tsquery reads it
    } else {
      out.push_back({Token::word, words});
    }
  }
  return out;
}

std::vector<std::string> positive_words(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (auto& t : tokens)
    if (t.kind == Token::word || t.kind == Token::phrase) out.insert(out.end(), t.words.begin(), t.words.end());
  return out;
}

std::string to_fts5(const std::vector<Token>& tokens) {
  // Groups of AND-ed terms separated by `or`; a group without a positive term asks for nothing.
  std::vector<std::string> groups;
  std::string positives, negatives;
  auto close_group = [&] {
    if (!positives.empty()) groups.push_back("(" + positives + negatives + ")");
    positives.clear();
    negatives.clear();
  };
  for (auto& t : tokens) {
    if (t.kind == Token::or_) {
      close_group();
      continue;
    }
    std::string phrase;
    for (auto& w : t.words) phrase += (phrase.empty() ? "" : " ") + w;
    if (t.kind == Token::excluded) {
      negatives += " NOT " + quoted(phrase);
    } else {
      positives += (positives.empty() ? "" : " AND ") + quoted(phrase);
    }
  }
  close_group();
  std::string out;
  for (auto& g : groups) out += (out.empty() ? "" : " OR ") + g;
  return out;
}

std::string to_text(const std::vector<Token>& tokens) {
  std::string out;
  for (auto& t : tokens) {
    std::string joined;
    for (auto& w : t.words) joined += (joined.empty() ? "" : " ") + w;
    std::string piece = t.kind == Token::or_       ? "or"
                        : t.kind == Token::phrase   ? "\"" + joined + "\""
                        : t.kind == Token::excluded ? "-" + joined
                                                    : joined;
    out += (out.empty() ? "" : " ") + piece;
  }
  return out;
}

std::string fts5_title_prefix(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i)
    out += (i ? " AND " : "") + std::string("title : ") + quoted(words[i]) + (i + 1 == words.size() ? "*" : "");
  return out;
}

std::string tsquery_prefix(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i)
    out += (i ? " & " : "") + words[i] + (i + 1 == words.size() ? ":*" : "");
  return out;
}

double trigram_similarity(std::string_view a, std::string_view b) {
  auto ta = trigrams(a), tb = trigrams(b);
  if (ta.empty() || tb.empty()) return 0;
  std::size_t shared = 0;
  for (std::size_t i = 0, j = 0; i < ta.size() && j < tb.size();) {
    if (ta[i] < tb[j]) ++i;
    else if (tb[j] < ta[i]) ++j;
    else ++shared, ++i, ++j;
  }
  return static_cast<double>(shared) / static_cast<double>(ta.size() + tb.size() - shared);
}

std::string marked_to_html(std::string_view marked) {
  std::string out;
  out.reserve(marked.size() + 16);
  for (char c : marked) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  replace_all(out, kMarkOpen, "<mark>");
  replace_all(out, kMarkClose, "</mark>");
  return out;
}

}  // namespace wp::search
