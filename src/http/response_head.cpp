#include "http/response_head.hpp"

#include <boost/beast/http/status.hpp>

#include <charconv>

namespace wp::http {

namespace {

bool safe_field(std::string_view name, std::string_view value) {
  auto breaks = [](std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) != s.npos; };
  return !name.empty() && name.find(':') == name.npos && !breaks(name) && !breaks(value);
}

void append_number(std::string& out, std::uint64_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

}  // namespace

void write_response_head(std::string& out, const ResponseHead& head, std::size_t* dropped) {
  out.clear();
  out.append("HTTP/1.1 ");
  append_number(out, static_cast<std::uint64_t>(head.status));
  out.push_back(' ');
  auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(head.status));
  out.append(reason.data(), reason.size());
  out.append("\r\nServer: watchparty\r\n");
  if (!head.content_type.empty()) append_field(out, "Content-Type", head.content_type);
  std::size_t left_out = 0;
  if (head.headers) {
    for (auto& [name, value] : *head.headers) {
      if (safe_field(name, value)) {
        append_field(out, name, value);
      } else {
        ++left_out;
      }
    }
  }
  if (!head.keep_alive) out.append("Connection: close\r\n");
  if (head.chunked) out.append("Transfer-Encoding: chunked\r\n");
  if (head.content_length) {
    out.append("Content-Length: ");
    append_number(out, *head.content_length);
    out.append("\r\n");
  }
  out.append("\r\n");
  if (dropped) *dropped = left_out;
}

}  // namespace wp::http
