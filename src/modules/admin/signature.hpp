#pragma once
// What makes two 500s "the same error": the method, the route pattern and
// the message with its variable parts (ids, numbers, quoted values) taken out.
#include <string>

namespace wp::admin {

// The message with UUIDs, hex ids, numbers and quoted text replaced by placeholders.
std::string normalize_error_message(const std::string& message);
// A short stable hash of method, route and the normalized message (the same on every node).
std::string error_signature(const std::string& method, const std::string& route, const std::string& message);

}  // namespace wp::admin
