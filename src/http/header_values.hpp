#pragma once
// Pieces of header values: blanks around them, and their `; name=value` parameters.
#include <optional>
#include <string>
#include <string_view>

namespace wp::http {

// Without the spaces and tabs around it.
std::string_view trim_blanks(std::string_view s);
// The value of parameter `name` (any case) in a header value such as
// `form-data; name="x"`: unquoted, with backslash escapes resolved; nullopt when absent.
std::optional<std::string> header_param(std::string_view value, std::string_view name);

}  // namespace wp::http
