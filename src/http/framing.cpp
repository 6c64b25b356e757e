#include "http/framing.hpp"

#include <string>
#include <vector>


namespace wp::http {

namespace {

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The codings of every Transfer-Encoding line, in order (RFC 9110 §5.3: lines combine as one list).
std::vector<std::string_view> codings(const Headers& headers, bool& present) {
  std::vector<std::string_view> out;
  for (auto& [name, value] : headers) {
    if (!iequals(name, "Transfer-Encoding")) continue;
    present = true;
    std::string_view rest = value;
    for (;;) {
      auto comma = rest.find(',');
      out.push_back(trim_ows(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

}  // namespace

std::optional<Error> framing_error(const Headers& headers) {
  bool present = false;
  auto list = codings(headers, present);
  if (!present) return std::nullopt;
  for (auto& [name, value] : headers)
    if (iequals(name, "Content-Length"))
      return Error(ErrorCode::validation, "Content-Length and Transfer-Encoding must not both be sent.");
  if (list.empty() || !iequals(list.back(), "chunked"))
    return Error(ErrorCode::validation, "The last transfer coding must be chunked.");
  if (list.size() > 1)
    return Error(ErrorCode::not_implemented, "Only the chunked transfer coding is implemented.");
  return std::nullopt;
}

bool has_bare_line_ending(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) return true;
    if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] != '\n') return true;
  }
  return false;
}

bool is_websocket_key(std::string_view key) {
  auto base64 = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  };
  if (key.size() != 24 || key.substr(22) != "==") return false;
  for (std::size_t i = 0; i < 22; ++i)
    if (!base64(key[i])) return false;
  // The last character carries 2 bits of the 16th byte and 4 zero bits.
  static constexpr std::string_view kLast = "AQgw";
  return kLast.find(key[21]) != std::string_view::npos;
}

RequestVersion request_line_version(std::string_view bytes, std::size_t* minor_at) {
  auto end = bytes.find("\r\n");
  if (end == std::string_view::npos) return RequestVersion::incomplete;
  auto line = bytes.substr(0, end);
  auto space = line.rfind(' ');
  if (space == std::string_view::npos) return RequestVersion::as_sent;
  auto v = line.substr(space + 1);
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  // HTTP-version = "HTTP/" DIGIT "." DIGIT; anything else is Beast's 400.
  if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || !digit(v[5]) || v[6] != '.' || !digit(v[7]))
    return RequestVersion::as_sent;
  if (v[5] == '1' && v[7] >= '2') {
    if (minor_at) *minor_at = space + 1 + 7;
    return RequestVersion::read_as_1_1;
  }
  return RequestVersion::as_sent;
}

}  // namespace wp::http
