#pragma once
// multipart/form-data bodies held in memory (small uploads such as avatars).
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace wp::http {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
  std::string data;
};

// 415 if the request is not multipart/form-data, 400 if the body is malformed.
std::vector<FormPart> parse_multipart(const Request& req);
const FormPart* find_part(const std::vector<FormPart>& parts, const std::string& name);

}  // namespace wp::http
