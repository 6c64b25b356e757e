#include "http/multipart.hpp"

#include "core/error.hpp"
#include "http/header_values.hpp"

namespace wp::http {

namespace {

[[noreturn]] void malformed() { throw Error(ErrorCode::validation, "Malformed multipart body."); }

}  // namespace

std::vector<FormPart> parse_multipart(const Request& req) {
  auto ct = req.header("Content-Type").value_or("");
  if (ct.rfind("multipart/form-data", 0) != 0)
    throw Error(ErrorCode::unsupported_media, "Content-Type must be multipart/form-data.");
  auto boundary = header_param(ct, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) malformed();
  const std::string delim = "--" + *boundary;
  const std::string& body = req.body;
  std::vector<FormPart> parts;
  auto pos = body.find(delim);
  if (pos == std::string::npos) malformed();
  for (;;) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) break;  // closing delimiter
    if (body.compare(pos, 2, "\r\n") != 0) malformed();
    pos += 2;
    auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string::npos) malformed();
    FormPart part;
    std::size_t line_start = pos;
    while (line_start < headers_end) {
      auto line_end = body.find("\r\n", line_start);
      if (line_end == std::string::npos || line_end > headers_end) line_end = headers_end;
      std::string line = body.substr(line_start, line_end - line_start);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon), value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        if (iequals(name, "Content-Disposition")) {
          part.name = header_param(value, "name").value_or("");
          part.filename = header_param(value, "filename");
        } else if (iequals(name, "Content-Type")) {
          part.content_type = value;
        }
      }
      line_start = line_end + 2;
    }
    auto data_start = headers_end + 4;
    auto next = body.find("\r\n" + delim, data_start);
    if (next == std::string::npos) malformed();
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  return parts;
}

const FormPart* find_part(const std::vector<FormPart>& parts, const std::string& name) {
  for (auto& p : parts)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace wp::http
