#pragma once
// spdlog with the current request id on every line. The id is thread-local:
// transport sets it around its own log calls, the blocking pool for the
// duration of a handler.
#include <spdlog/spdlog.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace wp::log {

void setup(const std::string& level, const std::string& format);  // format: text | json
// A configuration reload's new level (setup() made the logger).
void set_level(const std::string& level);

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

// One access-log line. In text mode it is a readable line; in JSON mode
// every field is its own key beside ts_ms, level, request_id and msg, so a
// log pipeline needs no parsing. The request id is the current scope's.
struct Access {
  std::string_view remote_ip;
  std::string_view method;
  std::string_view target;
  std::string_view route;  // the matched pattern, or (unmatched)
  int status = 0;
  std::uint64_t bytes = 0;
  double duration_ms = 0;
  std::string_view event;  // empty for plain requests; e.g. "websocket open"
};
void access(const Access& entry);

// The request target as the logs may show it: the values of query
// parameters that carry secrets (mailed reset and verify tokens, OAuth-style
// codes, the socket's ?token=) become "***". Every access line uses this.
std::string redact_target(std::string_view target);

// Removes the values SOCI appends to its messages ("with :p=..."), which
// may hold secrets, before a database error is logged.
std::string redact_sql_error(const std::string& what);

}  // namespace wp::log
