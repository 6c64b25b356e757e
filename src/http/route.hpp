#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <memory>

#include "http/message.hpp"
#include "realtime/connection.hpp"

namespace wp::http {

enum class Access { anonymous, user, staff };

using Handler = std::function<Response(Request&)>;
// Answers from this node's memory without blocking, or nullopt: then the
// route's handler runs on the pool as usual.
using MemoryHandler = std::function<std::optional<Response>(Request&)>;
// Opens a WebSocket endpoint for an authenticated upgrade request. Throws
// wp::Error to refuse: authentication -> close 4001, not_found -> 4004,
// forbidden/conflict/validation -> 4003, anything else -> 1011.
using WsOpen = std::function<std::shared_ptr<realtime::Endpoint>(Request&, std::shared_ptr<realtime::Connection>)>;

struct Route {
  std::string method;   // GET, POST, PUT, PATCH, DELETE
  std::string pattern;  // /api/videos/{id}/ ; params named id or *_id must be UUIDs; {name:path} takes the rest
  std::string summary;  // one line, for the OpenAPI document
  Access access = Access::user;
  Handler handler;
  std::optional<std::int64_t> max_body;  // bytes; default: config max_body_bytes
  bool inline_io = false;                // never blocks: run on the I/O thread, skip the blocking pool
  MemoryHandler from_memory;             // tried on the I/O thread first (after a MemoryAuthenticator)
  bool body_to_file = false;             // stream the body to a spool file (Request::body_file), for uploads
  bool bulk = false;                     // bulk work (ingestion): the low-priority pool, 503 while realtime lags
  std::string tag;                       // OpenAPI tag, usually the module name
  std::string request_schema;            // optional JSON Schema text for the body
  std::string response_schema;           // optional JSON Schema text for a 2xx body
  WsOpen ws_open;  // set: a WebSocket route (GET with Upgrade)
};

}  // namespace wp::http
