#pragma once
// Plain request and response types. Handlers see only these, never Beast,
// so that module code compiles quickly and transport can change alone.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/principal.hpp"

namespace wp::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // upper case, as sent
  std::string target;  // raw request target
  std::string path;    // percent-decoded path
  std::string query_string;
  Headers headers;
  std::string body;
  std::string body_file;  // for body_to_file routes: the spooled body; move it to keep it
  std::string remote_ip;

  // Filled by routing and authentication.
  std::string route;  // the matched pattern, e.g. /api/videos/{id}/
  std::map<std::string, std::string> params;
  std::string request_id;
  std::optional<Principal> user;

  std::optional<std::string> header(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  // First value of a query parameter, percent-decoded.
  std::optional<std::string> query(std::string_view name) const;
  const std::string& param(const std::string& name) const;
  // The authenticated user; only call on routes that require one.
  const Principal& current_user() const;
};

struct FileBody {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// A body made piece by piece (the users export): the transport sends it with
// chunked encoding, asking for each piece on the blocking pool (next() may
// run SQL) only after the previous one is written, so a long body is never
// in memory at once. next() returns nullopt after the last piece; a throw
// after the head went out ends the connection (the client sees a truncated
// chunked body, never a complete-looking one).
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  virtual std::optional<std::string> next() = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  Headers headers;
  std::string body;
  std::optional<FileBody> file;  // sent from disk instead of body
  std::shared_ptr<BodyStream> stream;  // sent in chunks instead of body

  void set_header(std::string name, std::string value);
  // Adds another header of the same name (Set-Cookie).
  void add_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
  std::optional<std::string> header(std::string_view name) const;
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace wp::http
