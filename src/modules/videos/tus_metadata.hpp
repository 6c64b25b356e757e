#pragma once
// The tus Upload-Metadata request header ("key base64value,key2 ..."), as a
// pure function so that it can be tested and fuzzed on its own.
#include <map>
#include <string>

namespace wp::videos {

// Decoded key -> value. Throws wp::Error (validation, 400) on a malformed
// key, a value that is not base64, or one over 5000 bytes.
std::map<std::string, std::string> parse_upload_metadata(const std::string& header);

}  // namespace wp::videos
