#include "http/header_values.hpp"

#include <cctype>

namespace wp::http {

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::string> header_param(std::string_view value, std::string_view name) {
  std::size_t i = value.find(';');
  while (i != std::string_view::npos) {
    std::size_t j = i + 1;
    while (j < value.size() && (value[j] == ' ' || value[j] == '\t')) ++j;
    auto eq = value.find('=', j);
    if (eq == std::string_view::npos) return std::nullopt;
    auto key = trim_blanks(value.substr(j, eq - j));
    std::size_t k = eq + 1;
    std::string v;
    if (k < value.size() && value[k] == '"') {
      ++k;
      while (k < value.size() && value[k] != '"') {
        if (value[k] == '\\' && k + 1 < value.size()) ++k;
        v.push_back(value[k++]);
      }
      if (k < value.size()) ++k;  // closing quote
      i = value.find(';', k);
    } else {
      auto semi = value.find(';', k);
      v = std::string(trim_blanks(value.substr(k, semi == std::string_view::npos ? std::string_view::npos : semi - k)));
      i = semi;
    }
    if (equal_ignoring_case(key, name)) return v;
  }
  return std::nullopt;
}

}  // namespace wp::http
