#include "http/cors.hpp"

#include <algorithm>

namespace wp::http {

bool origin_allowed(const std::string& origin, const std::vector<std::string>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) { return a == origin; });
}

void add_cors_headers(const Request& req, Response& res, const std::vector<std::string>& allowed) {
  auto origin = req.header("Origin");
  auto vary = res.header("Vary");
  res.set_header("Vary", vary && !vary->empty() ? *vary + ", Origin" : "Origin");
  if (!origin || !origin_allowed(*origin, allowed)) return;
  res.set_header("Access-Control-Allow-Origin", *origin);
  res.set_header("Access-Control-Allow-Credentials", "true");
  res.set_header("Access-Control-Expose-Headers", "X-Request-ID, Retry-After, Location");
}

bool is_preflight(const Request& req) {
  return req.method == "OPTIONS" && req.header("Origin") && req.header("Access-Control-Request-Method");
}

Response preflight_response(const Request& req, const std::vector<std::string>& methods,
                            const std::vector<std::string>& allowed) {
  Response res;
  res.status = 204;
  res.content_type.clear();
  std::string list;
  for (auto& m : methods) list += (list.empty() ? "" : ", ") + m;
  res.set_header("Allow", list);
  if (!origin_allowed(*req.header("Origin"), allowed)) {
    res.status = 403;
    return res;
  }
  add_cors_headers(req, res, allowed);
  res.set_header("Access-Control-Allow-Methods", list);
  res.set_header("Access-Control-Allow-Headers",
                 req.header("Access-Control-Request-Headers").value_or("Authorization, Content-Type"));
  res.set_header("Access-Control-Max-Age", "600");
  return res;
}

}  // namespace wp::http
