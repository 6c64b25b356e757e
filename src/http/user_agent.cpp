#include "http/user_agent.hpp"

#include "core/strings.hpp"

namespace wp::http {

std::string user_agent(const Request& req) {
  return storable_text(req.header("User-Agent").value_or(""), kMaxUserAgentBytes);
}

}  // namespace wp::http
