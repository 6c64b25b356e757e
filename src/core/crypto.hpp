#pragma once
// Small wrappers over libsodium for the primitives the server uses.
#include <string>
#include <string_view>

namespace wp::crypto {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
bool constant_time_equal(std::string_view a, std::string_view b);
std::string base64url_encode(std::string_view raw);
// nullopt-like: returns false on invalid input.
bool base64url_decode(std::string_view text, std::string& out);
// Standard alphabet with padding (RFC 4648 section 4), as tus Upload-Metadata uses.
bool base64_decode(std::string_view text, std::string& out);
// An opaque token for clients: 32 random bytes, base64url.
std::string random_token();

}  // namespace wp::crypto
