#pragma once
// spdlog with the current request id on every line. The id is thread-local:
// transport sets it around its own log calls, the blocking pool for the
// duration of a handler.
#include <spdlog/spdlog.h>

#include <string>

namespace wp::log {

void setup(const std::string& level, const std::string& format);  // format: text | json

const std::string& current_request_id();

class RequestScope {
 public:
  explicit RequestScope(const std::string& request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string previous_;
};

// Removes the values SOCI appends to its messages ("with :p=..."), which
// may hold secrets, before a database error is logged.
std::string redact_sql_error(const std::string& what);

}  // namespace wp::log
