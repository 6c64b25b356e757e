#pragma once
#include <string>
#include <vector>

#include "http/message.hpp"

namespace wp::http {

bool origin_allowed(const std::string& origin, const std::vector<std::string>& allowed);
// Adds Access-Control-Allow-* for an allowed Origin (credentials included).
void add_cors_headers(const Request& req, Response& res, const std::vector<std::string>& allowed);
bool is_preflight(const Request& req);
// 204 with the allowed methods, or 403 when the origin is not allowed.
Response preflight_response(const Request& req, const std::vector<std::string>& methods,
                            const std::vector<std::string>& allowed);

}  // namespace wp::http
