#pragma once
// The Accept-Encoding request header (RFC 9110 section 12.5.3), as a pure
// function of its text so that it can be tested and fuzzed on its own.
#include <string>

namespace wp::http {

// gzip is acceptable when named (or x-gzip), or covered by "*", with a q
// above 0; "gzip;q=0" refuses it even when "*" is listed.
bool accepts_gzip(const std::string& accept_encoding);

}  // namespace wp::http
