#pragma once
#include <cctype>
#include <string>

namespace wp::db {

// "%needle%", lower-cased, with LIKE's wildcards escaped by '\': for
// `LOWER(column) LIKE :p ESCAPE '\'` on both dialects.
inline std::string like_pattern(const std::string& needle) {
  std::string out = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out + "%";
}

}  // namespace wp::db
