#include "modules/videos/tus_metadata.hpp"

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace wp::videos {

std::map<std::string, std::string> parse_upload_metadata(const std::string& header) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i <= header.size()) {
    auto comma = header.find(',', i);
    auto pair = header.substr(i, comma == std::string::npos ? std::string::npos : comma - i);
    auto b = pair.find_first_not_of(' ');
    auto e = pair.find_last_not_of(' ');
    if (b != std::string::npos) {
      pair = pair.substr(b, e - b + 1);
      auto space = pair.find(' ');
      std::string key = pair.substr(0, space), value;
      if (key.empty() || key.size() > 64) throw_validation("Upload-Metadata", "Malformed key.");
      if (space != std::string::npos && !crypto::base64_decode(pair.substr(space + 1), value))
        throw_validation("Upload-Metadata", "Values must be base64 encoded.");
      if (value.size() > 5000) throw_validation("Upload-Metadata", "Value of " + key + " is too long.");
      out[key] = value;
    }
    if (comma == std::string::npos) break;
    i = comma + 1;
  }
  return out;
}

}  // namespace wp::videos
