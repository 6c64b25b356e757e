#pragma once
#include <optional>
#include <string>
#include <vector>

namespace wp {

// "a, b,,c " -> {"a", "b", "c"}: split on commas, trimmed, empty items dropped.
std::vector<std::string> split_list(const std::string& text);

// true/1/yes/on and false/0/no/off, any case; nullopt for anything else.
std::optional<bool> parse_bool_text(const std::string& text);

// At most max bytes of valid UTF-8 text, cut before a character rather than inside it.
std::string utf8_prefix(const std::string& text, std::size_t max);

}  // namespace wp
