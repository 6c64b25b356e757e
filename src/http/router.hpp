#pragma once
// Route table and path matching. Patterns are compiled into a segment trie:
// a match walks the path's segments once (literal children by binary search,
// one parameter child), collects the routes whose shape fits, then applies
// the table's order: the first route registered with the method wins, the
// others make the 405's Allow list, and a path that fits only with a
// trailing slash is redirected. Nothing is allocated on a match without
// parameters.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/small_vector.hpp>

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
  struct Node {
    std::vector<std::pair<std::string, int>> literals;  // child per literal segment, sorted by text
    int param = -1;                                      // child for a parameter segment
    std::vector<int> rest;                               // routes whose {name:path} starts here
    std::vector<int> ends[2];                            // routes ending here: [trailing slash]
  };
  using Parts = boost::container::small_vector<std::string_view, 12>;
  using Indices = boost::container::small_vector<int, 8>;

  int child(int node, const Segment& s);
  // Every route whose segments fit the parts from node on (uuid parameters not checked yet).
  void collect(int node, const Parts& parts, std::size_t i, bool trailing, Indices& out) const;
  // A uuid parameter that is not a UUID: the route does not fit, and no redirect is offered.
  bool uuids_ok(int route, const Parts& parts) const;
  void fill_params(int route, const Parts& parts, bool trailing, std::map<std::string, std::string>& out) const;

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  std::vector<Node> nodes_{1};  // nodes_[0]: the root
  std::optional<Route> fallback_;
};

std::vector<std::string> split_path(const std::string& path, bool& trailing_slash);

}  // namespace wp::http
