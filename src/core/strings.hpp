#pragma once
#include <string>
#include <vector>

namespace wp {

// "a, b,,c " -> {"a", "b", "c"}: split on commas, trimmed, empty items dropped.
std::vector<std::string> split_list(const std::string& text);

}  // namespace wp
