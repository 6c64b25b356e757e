#include "modules/videos/tags.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace wp::videos {

namespace {

bool tag_byte(unsigned char c) { return std::isalnum(c) || c == '-' || c >= 0x80; }

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

std::string normalize_tag(const std::string& raw) {
  auto t = trimmed(raw);
  if (!t.empty() && t.front() == '#') t.erase(0, 1);
  if (t.empty() || t.size() > kMaxTagBytes) return "";
  for (auto& c : t) {
    auto u = static_cast<unsigned char>(c);
    if (!tag_byte(u)) return "";
    c = static_cast<char>(std::tolower(u));
  }
  return t;
}

std::string tags_text(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (auto& raw : tags) {
    auto t = normalize_tag(raw);
    if (t.empty())
      throw_validation("tags", "Each tag is 1 to 30 characters: letters, digits and hyphens (\"" + raw.substr(0, 40) +
                                   "\" is not).");
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  if (out.size() > kMaxTags) throw_validation("tags", "At most " + std::to_string(kMaxTags) + " tags.");
  std::string text;
  for (auto& t : out) text += (text.empty() ? "" : " ") + t;
  return text;
}

std::string tags_text_from_csv(const std::string& csv) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= csv.size()) {
    auto comma = csv.find(',', start);
    auto part = csv.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!trimmed(part).empty()) tags.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return tags_text(tags);
}

std::vector<std::string> tags_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto space = text.find(' ', start);
    if (space == std::string::npos) space = text.size();
    if (space > start) out.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

}  // namespace wp::videos
