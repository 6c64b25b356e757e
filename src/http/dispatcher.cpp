#include "http/dispatcher.hpp"

#include <algorithm>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "http/cors.hpp"
#include "http/json.hpp"

namespace wp::http {

Dispatcher::Dispatcher(const Router& router, std::vector<std::string> cors_origins)
    : router_(router), cors_origins_(std::move(cors_origins)) {}

std::string choose_request_id(const std::optional<std::string>& incoming) {
  if (incoming && !incoming->empty() && incoming->size() <= 128 &&
      std::all_of(incoming->begin(), incoming->end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
      }))
    return *incoming;
  return new_request_id();
}

namespace {

void check_access(const Route& route, const Request& req) {
  if (route.access != Access::anonymous && !req.user)
    throw Error(ErrorCode::authentication, "Authentication credentials were not provided.");
  if (route.access == Access::staff && !req.user->is_staff && !req.user->is_superuser)
    throw_forbidden("Staff access is required.");
}

}  // namespace

// Every failure of an attempt becomes the error envelope.
template <class Attempt>
std::optional<Response> Dispatcher::guarded(Request& req, Attempt attempt) const {
  log::RequestScope scope(req.request_id);
  try {
    return attempt();
  } catch (const Error& e) {
    if (e.code() == ErrorCode::internal || e.code() == ErrorCode::unavailable)
      spdlog::error("{} {}: {}", req.method, req.route, e.what());
    if (e.code() == ErrorCode::internal) {
      report_server_error(req, log::redact_sql_error(e.what()));
      return error_response(Error(ErrorCode::internal, "Internal server error."), req.request_id);
    }
    return error_response(e, req.request_id);
  } catch (const std::exception& e) {
    // A bug: log what happened, tell the client only that it happened.
    auto what = log::redact_sql_error(e.what());
    spdlog::error("unhandled exception in {} {}: {}", req.method, req.route, what);
    report_server_error(req, what);
    return error_response(Error(ErrorCode::internal, "Internal server error."), req.request_id);
  }
}

Response Dispatcher::run(const Route& route, Request& req) const {
  return *guarded(req, [&]() -> std::optional<Response> {
    // Inline routes run on the I/O thread: they never authenticate (that may block).
    if (authenticator_ && !route.inline_io) req.user = authenticator_(req);
    check_access(route, req);
    return route.handler(req);
  });
}

std::optional<Response> Dispatcher::run_from_memory(const Route& route, Request& req) const {
  if (!route.from_memory) return std::nullopt;
  return guarded(req, [&]() -> std::optional<Response> {
    if (memory_authenticator_) {
      auto auth = memory_authenticator_(req);
      if (!auth.answered) return std::nullopt;
      req.user = std::move(auth.user);
    } else if (authenticator_) {
      return std::nullopt;
    }
    check_access(route, req);
    return route.from_memory(req);
  });
}

void Dispatcher::report_server_error(const Request& req, const std::string& message) const {
  if (!server_error_) return;
  try {
    server_error_(req, message);
  } catch (const std::exception& e) {
    spdlog::warn("server error hook failed: {}", e.what());
  }
}

WsOpenResult Dispatcher::open_ws(const Route& route, Request& req, std::shared_ptr<realtime::Connection> conn) const {
  namespace cc = realtime::close_code;
  log::RequestScope scope(req.request_id);
  try {
    if (authenticator_) req.user = authenticator_(req);
    check_access(route, req);
    return {route.ws_open(req, std::move(conn)), 0, ""};
  } catch (const Error& e) {
    switch (e.code()) {
      case ErrorCode::authentication: return {nullptr, cc::not_authenticated, e.what()};
      case ErrorCode::not_found: return {nullptr, cc::not_found, e.what()};
      case ErrorCode::forbidden:
      case ErrorCode::conflict:
      case ErrorCode::validation: return {nullptr, cc::forbidden, e.what()};
      default:
        spdlog::error("websocket open {} failed: {}", req.route, e.what());
        return {nullptr, cc::server_error, "Server error."};
    }
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception opening websocket {}: {}", req.route, log::redact_sql_error(e.what()));
    return {nullptr, cc::server_error, "Server error."};
  }
}

Response Dispatcher::answer_unmatched(const RouteMatch& m, const Request& req) const {
  if (m.kind == RouteMatch::method_not_allowed) {
    if (req.method == "OPTIONS") {
      if (is_preflight(req)) return preflight_response(req, m.allowed, cors_origins_);
      Response r;
      r.status = 204;
      r.content_type.clear();
      std::string list;
      for (auto& a : m.allowed) list += (list.empty() ? "" : ", ") + a;
      r.set_header("Allow", list);
      return r;
    }
    std::string list;
    for (auto& a : m.allowed) list += (list.empty() ? "" : ", ") + a;
    auto r = error_response(Error(ErrorCode::method_not_allowed, "Method \"" + req.method + "\" not allowed."),
                            req.request_id);
    r.set_header("Allow", list);
    return r;
  }
  if (m.kind == RouteMatch::redirect) {
    Response r;
    r.status = 308;
    std::string location = m.location + (req.query_string.empty() ? "" : "?" + req.query_string);
    r.set_header("Location", location);
    r.body = boost::json::serialize(boost::json::object{{"redirect", location}});
    return r;
  }
  return error_response(Error(ErrorCode::not_found, "Not found."), req.request_id);
}

void Dispatcher::finish(const Request& req, Response& res) const {
  res.set_header("X-Request-ID", req.request_id);
  add_cors_headers(req, res, cors_origins_);
}

}  // namespace wp::http
