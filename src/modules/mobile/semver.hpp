#pragma once
// Semantic versions as the app reports them ("1.10.0", "2.0", "1.4.0-beta.2"):
// compared part by part as numbers, so 1.10.0 > 1.9.9; a pre-release is
// older than its release.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wp::mobile {

struct SemVer {
  std::vector<long> core;  // major, minor, patch, ... (missing parts count as 0)
  std::string pre;         // after '-'; empty for a release
};

std::optional<SemVer> parse_semver(std::string_view text);
// <0, 0, >0 as a is older, the same, newer than b.
int compare_semver(const SemVer& a, const SemVer& b);

}  // namespace wp::mobile
