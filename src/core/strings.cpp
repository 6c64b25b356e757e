#include "core/strings.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace wp {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto b = item.find_first_not_of(" \t");
    auto e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

std::optional<bool> parse_bool_text(const std::string& text) {
  std::string l = text;
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
  if (l == "1" || l == "true" || l == "yes" || l == "on") return true;
  if (l == "0" || l == "false" || l == "no" || l == "off") return false;
  return std::nullopt;
}

std::string utf8_prefix(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  auto continuation = [&](std::size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
  std::size_t end = max;  // text[end] starts the first character left out, unless it continues one
  while (end > 0 && continuation(end)) --end;
  return text.substr(0, end);
}

}  // namespace wp
