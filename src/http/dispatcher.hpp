#pragma once
// Everything between "a request was read" and "a response is ready" that
// does not touch sockets: answers for unmatched paths, authentication,
// access levels, running the handler, and mapping errors in one place.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace wp::http {

struct WsOpenResult {
  std::shared_ptr<realtime::Endpoint> endpoint;  // null when refused
  int close_code = 0;
  std::string reason;
};

// Reads credentials from a request. Returns nullopt when there are none;
// throws wp::Error(authentication) when they are present but invalid.
using Authenticator = std::function<std::optional<Principal>(const Request&)>;
// The same reading for an I/O thread: not answered when it needs the database.
struct MemoryAuth {
  bool answered = false;
  std::optional<Principal> user;  // answered: who, or nobody (no credentials)
};
using MemoryAuthenticator = std::function<MemoryAuth(const Request&)>;
// Told of every answer 500 (the admin module's ErrorLog): the request (route,
// method, request id, user) and the error's message with SQL values redacted.
// Runs where the handler ran, an I/O thread for inline routes: it must not block.
using ServerErrorHook = std::function<void(const Request&, const std::string& message)>;

class Dispatcher {
 public:
  Dispatcher(const Router& router, std::vector<std::string> cors_origins);

  void set_authenticator(Authenticator a) { authenticator_ = std::move(a); }
  void set_memory_authenticator(MemoryAuthenticator a) { memory_authenticator_ = std::move(a); }
  void on_server_error(ServerErrorHook hook) { server_error_ = std::move(hook); }
  const Router& router() const { return router_; }

  // Runs a matched route: authenticate, check access, call the handler.
  // Never throws: failures become the error envelope.
  Response run(const Route& route, Request& req) const;
  // run() from memory, for an I/O thread: the route's from_memory after the
  // MemoryAuthenticator, or nullopt when either needs the database (then run()
  // goes to the pool). Never throws.
  std::optional<Response> run_from_memory(const Route& route, Request& req) const;
  // The WebSocket counterpart of run: same authentication and access
  // checks, refusals expressed as close codes. Never throws.
  WsOpenResult open_ws(const Route& route, Request& req, std::shared_ptr<realtime::Connection> conn) const;
  // 404, 405, trailing-slash redirect, OPTIONS and CORS preflight.
  Response answer_unmatched(const RouteMatch& m, const Request& req) const;
  // Headers every response carries: X-Request-ID and CORS.
  void finish(const Request& req, Response& res) const;

 private:
  const Router& router_;
  std::vector<std::string> cors_origins_;
  Authenticator authenticator_;
  MemoryAuthenticator memory_authenticator_;
  ServerErrorHook server_error_;
  void report_server_error(const Request& req, const std::string& message) const;
  template <class Attempt>
  std::optional<Response> guarded(Request& req, Attempt attempt) const;
};

// Keeps a sane client-supplied X-Request-ID, otherwise makes a new one.
std::string choose_request_id(const std::optional<std::string>& incoming);

}  // namespace wp::http
