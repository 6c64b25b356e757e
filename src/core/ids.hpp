#pragma once
#include <string>
#include <string_view>

namespace wp {

// Random (version 4) UUID in canonical lower-case form.
std::string new_uuid();
// True for a canonical 8-4-4-4-12 hex UUID (either case).
bool is_uuid(std::string_view s);
// Hex of n cryptographically random bytes.
std::string random_hex(std::size_t n_bytes);

}  // namespace wp
