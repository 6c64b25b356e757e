#include "modules/mobile/semver.hpp"

#include <algorithm>
#include <charconv>

namespace wp::mobile {

std::optional<SemVer> parse_semver(std::string_view text) {
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
  SemVer v;
  auto build = text.find('+');  // build metadata does not order
  if (build != std::string_view::npos) text = text.substr(0, build);
  auto dash = text.find('-');
  if (dash != std::string_view::npos) {
    v.pre = std::string(text.substr(dash + 1));
    if (v.pre.empty()) return std::nullopt;
    text = text.substr(0, dash);
  }
  while (true) {
    auto dot = text.find('.');
    auto part = text.substr(0, dot);
    long n = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || n < 0) return std::nullopt;
    v.core.push_back(n);
    if (dot == std::string_view::npos) break;
    text = text.substr(dot + 1);
  }
  if (v.core.size() > 4) return std::nullopt;
  return v;
}

int compare_semver(const SemVer& a, const SemVer& b) {
  auto n = std::max(a.core.size(), b.core.size());
  for (std::size_t i = 0; i < n; ++i) {
    long x = i < a.core.size() ? a.core[i] : 0, y = i < b.core.size() ? b.core[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.pre == b.pre) return 0;
  if (a.pre.empty()) return 1;
  if (b.pre.empty()) return -1;
  return a.pre < b.pre ? -1 : 1;
}

}  // namespace wp::mobile
