#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wp {

// "a, b,,c " -> {"a", "b", "c"}: split on commas, trimmed, empty items dropped.
std::vector<std::string> split_list(const std::string& text);

// true/1/yes/on and false/0/no/off, any case; nullopt for anything else.
std::optional<bool> parse_bool_text(const std::string& text);

// Every `from` in s replaced by `to`, left to right.
void replace_all(std::string& s, std::string_view from, std::string_view to);

// At most max bytes of valid UTF-8 text, cut before a character rather than inside it.
std::string utf8_prefix(const std::string& text, std::size_t max);

// Text any database can store, of at most max bytes: every byte that does not begin or
// continue a valid UTF-8 character, and every NUL, becomes U+FFFD; cut before a character.
// For what a client sends outside JSON (a User-Agent header may carry Latin-1 bytes, which
// PostgreSQL refuses in a text column).
std::string storable_text(std::string_view text, std::size_t max);

}  // namespace wp
