#include "modules/mobile/crash_signature.hpp"

#include <cctype>

#include "core/crypto.hpp"
#include "core/strings.hpp"

namespace wp::mobile {

namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string trim_spaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    auto nl = text.find('\n', at);
    auto line = trim_spaces(std::string(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at)));
    if (!line.empty()) out.push_back(line);
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  return out;
}

}  // namespace

std::string normalize_frame(std::string_view line) {
  std::string out;
  std::size_t i = 0;
  while (i < line.size() && (is_digit(line[i]) || line[i] == ' ' || line[i] == '#')) ++i;  // "3   MyApp", "#04 pc"
  for (; i < line.size(); ++i) {
    char c = line[i];
    if (c == '0' && i + 1 < line.size() && (line[i + 1] == 'x' || line[i + 1] == 'X')) {  // an address
      i += 2;
      while (i < line.size() && is_hex(line[i])) ++i;
      --i;
      continue;
    }
    if ((c == ':' || c == '+') && i + 1 < line.size()) {  // ":42" line numbers, "+ 123" offsets
      std::size_t j = i + 1;
      while (j < line.size() && line[j] == ' ') ++j;
      if (j < line.size() && is_digit(line[j])) {
        while (j < line.size() && is_digit(line[j])) ++j;
        i = j - 1;
        continue;
      }
    }
    out.push_back(c);
  }
  return trim_spaces(out);
}

std::vector<std::string> top_frames(std::string_view stack_trace, std::size_t n) {
  auto lines = lines_of(stack_trace);
  std::vector<std::string> out;
  for (std::size_t i = lines.size() > 1 ? 1 : 0; i < lines.size() && out.size() < n; ++i) {
    auto f = normalize_frame(lines[i]);
    if (!f.empty()) out.push_back(f);
  }
  return out;
}

CrashSignature crash_signature(std::string_view platform, std::string_view stack_trace) {
  std::string text(platform);
  for (const auto& f : top_frames(stack_trace)) text += "\n" + f;
  auto lines = lines_of(stack_trace);
  std::string title = lines.empty() ? "(empty stack trace)" : lines.front();
  return {crypto::sha256_hex(text), utf8_prefix(title, 200)};
}

}  // namespace wp::mobile
