#pragma once
// A module's route table. The router, the module's service and its OpenAPI
// tag are bound once, so that each registration is one row:
//
//   http::ModuleRoutes routes(router, svc, "videos");
//   routes.add("GET", "/api/videos/{id}/", "A video", Access::anonymous, get_video);
//   routes.add("POST", "/api/videos/", "Upload a video", Access::user, create_video,
//              {.max_body = limit, .body_to_file = true});
//
// A handler is either a function of the service, Response(Service&, Request&),
// or a plain Handler, Response(Request&) (a closure over something else).
// extras carries the Route's other fields (max_body, inline_io, body_to_file,
// schemas); method, pattern, summary, access, handler and tag come from here.
#include <string>
#include <type_traits>
#include <utility>

#include "http/route.hpp"
#include "http/router.hpp"

namespace wp::http {

template <class Service>
class ModuleRoutes {
 public:
  ModuleRoutes(Router& router, Service& service, std::string tag)
      : router_(router), service_(service), tag_(std::move(tag)) {}

  template <class Fn>
  void add(std::string method, std::string pattern, std::string summary, Access access, Fn fn, Route extras = {}) {
    extras.method = std::move(method);
    extras.pattern = std::move(pattern);
    extras.summary = std::move(summary);
    extras.access = access;
    extras.handler = bind(std::move(fn));
    extras.tag = tag_;
    router_.add(std::move(extras));
  }

 private:
  template <class Fn>
  Handler bind(Fn fn) {
    if constexpr (std::is_invocable_r_v<Response, Fn&, Service&, Request&>) {
      return [&service = service_, fn = std::move(fn)](Request& req) { return fn(service, req); };
    } else {
      static_assert(std::is_invocable_r_v<Response, Fn&, Request&>,
                    "a route handler is Response(Service&, Request&) or Response(Request&)");
      return Handler(std::move(fn));
    }
  }

  Router& router_;
  Service& service_;
  std::string tag_;
};

}  // namespace wp::http
