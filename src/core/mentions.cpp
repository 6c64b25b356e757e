#include "core/mentions.hpp"

#include <algorithm>
#include <cctype>

namespace wp {

namespace {
bool username_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}
}  // namespace

std::vector<std::string> mentioned_usernames(std::string_view text, std::size_t max) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size() && out.size() < max; ++i) {
    if (text[i] != '@' || (i > 0 && username_char(text[i - 1]))) continue;
    std::size_t j = i + 1;
    while (j < text.size() && username_char(text[j])) ++j;
    std::string name(text.substr(i + 1, j - i - 1));
    while (!name.empty() && (name.back() == '.' || name.back() == '-')) name.pop_back();  // "@ana." ends a sentence
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    i = j - 1;
  }
  return out;
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(text.substr(0, cut)) + "\u2026";
}

}  // namespace wp
