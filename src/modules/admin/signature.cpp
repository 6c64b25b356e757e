#include "modules/admin/signature.hpp"

#include <cctype>
#include <regex>

#include "core/crypto.hpp"

namespace wp::admin {

namespace {
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

// SOCI names the step that failed ("sqlite3_statement_backend::prepare ... while preparing"): the same
// fault fails at prepare on a fresh session and at a later step on one whose statement is cached.
std::string without_database_step(const std::string& m) {
  static const std::regex step(R"((\w+_backend)::\w+)"), phase(R"(while (preparing|executing))");
  return std::regex_replace(std::regex_replace(m, step, "$1"), phase, "while running");
}
}  // namespace

std::string normalize_error_message(const std::string& message) {
  const std::string m = without_database_step(message);
  std::string out;
  std::size_t i = 0;
  while (i < m.size()) {
    char c = m[i];
    if (c == '\'' || c == '"') {  // a quoted value: '...' -> '?'
      auto end = m.find(c, i + 1);
      if (end != std::string::npos) {
        out += c;
        out += '?';
        out += c;
        i = end + 1;
        continue;
      }
    }
    if (is_word(c) && (i == 0 || !is_word(m[i - 1]))) {
      std::size_t j = i;
      while (j < m.size() && is_word(m[j])) ++j;
      auto word = m.substr(i, j - i);
      bool digit = false, hexish = true;
      for (char w : word) {
        if (std::isdigit(static_cast<unsigned char>(w))) digit = true;
        if (!is_hex(w) && w != '-') hexish = false;
      }
      // Numbers, UUIDs and long hex ids vary per request; words do not.
      out += digit && (hexish || word.size() >= 8 || std::isdigit(static_cast<unsigned char>(word[0]))) ? "#" : word;
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

std::string error_signature(const std::string& method, const std::string& route, const std::string& message) {
  return crypto::sha256_hex(method + " " + route + "\n" + normalize_error_message(message)).substr(0, 16);
}

}  // namespace wp::admin
