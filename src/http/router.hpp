#pragma once
// Route table and path matching. Matching is a scan over pre-split
// patterns: tables are a few hundred routes, and a scan keeps 405 (with the
// Allow list) and the trailing-slash redirect simple and exact.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/route.hpp"

namespace wp::http {

struct RouteMatch {
  enum Kind { found, not_found, method_not_allowed, redirect } kind = not_found;
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;  // for 405 and OPTIONS
  std::string location;              // for redirect: the path with its trailing slash
};

class Router {
 public:
  void add(Route route);
  // Serves GET/HEAD requests that match no route (the web client's files).
  void set_fallback(Route route) { fallback_ = std::move(route); }
  // HEAD is served by the GET route. OPTIONS reports allowed methods.
  RouteMatch match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Segment {
    std::string text;
    enum Kind { literal, param, uuid_param, rest } kind = literal;
  };
  struct Compiled {
    std::vector<Segment> segments;
    bool trailing_slash = false;
  };
  enum class PathFit { no, yes, bad_param };
  PathFit fits(const Compiled& c, const std::vector<std::string>& parts, bool trailing,
               std::map<std::string, std::string>& params) const;

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  std::optional<Route> fallback_;
};

std::vector<std::string> split_path(const std::string& path, bool& trailing_slash);

}  // namespace wp::http
