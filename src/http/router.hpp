#pragma once
// Route table and path matching, compiled once at start-up.
//
// A request that has a route is answered by a per-method segment trie: the
// path's segments are walked once (literal children by binary search, then a
// UUID parameter child, then any-text parameter child, a {name:path} at a
// node), and the first route registered with the method that fits wins:
// the table's order decides, as it did when the router was a scan. Each node
// knows the smallest route index below it, so branches that cannot beat the
// best fit so far are skipped. Such a match allocates nothing: the parameters
// are copied into the match itself (http/path_params.hpp).
//
// Only when the method has no fitting route is the all-methods trie asked:
// every fitting route's method makes the 405's Allow list, and a path that
// fits only with a trailing slash is redirected.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "http/path_params.hpp"
#include "http/route.hpp"

namespace wp::http {

struct RouteMatch {
  enum Kind { found, not_found, method_not_allowed, redirect } kind = not_found;
  const Route* route = nullptr;
  PathParams params;
  std::vector<std::string> allowed;  // for 405 and OPTIONS
  std::string location;              // for redirect: the path with its trailing slash
};

class Router {
 public:
  void add(Route route);
  // Serves GET/HEAD requests that match no route (the web client's files).
  void set_fallback(Route route) { fallback_ = std::move(route); }
  // HEAD is served by the GET route. OPTIONS reports allowed methods.
  // path is the percent-decoded path. The match does not refer to it afterwards.
  RouteMatch match(std::string_view method, std::string_view path) const;
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
  // One method's routes. Parameter children are split by kind so that a UUID
  // is checked once, on the way down.
  struct MethodNode {
    std::vector<std::pair<std::string, int>> literals;  // sorted by text
    int uuid = -1;                                      // child for {id} / {*_id}
    int text = -1;                                      // child for any other {name}
    int rest = -1;                                      // first route whose {name:path} starts here
    int ends[2] = {-1, -1};                             // first route ending here: [trailing slash]
    int first = -1;                                     // smallest route index in this subtree
  };
  struct MethodTrie {
    std::string method;
    std::vector<MethodNode> nodes{1};
  };
  using Parts = boost::container::small_vector<std::string_view, 12>;
  using Indices = boost::container::small_vector<int, 8>;

  void add_to_method_trie(int index, const Compiled& c, const std::string& method);
  static int method_child(MethodTrie& t, int node, const Segment& s);
  // The first route of trie t that fits the parts from node on, if it is below best.
  void find_first(const MethodTrie& t, int node, const Parts& parts, std::size_t i, bool trailing, int& best) const;
  void answer_unmatched(std::string_view method, std::string_view path, const Parts& parts, bool trailing,
                        RouteMatch& m) const;

  int child(int node, const Segment& s);
  // Every route whose segments fit the parts from node on (uuid parameters not checked yet).
  void collect(int node, const Parts& parts, std::size_t i, bool trailing, Indices& out) const;
  // A uuid parameter that is not a UUID: the route does not fit, and no redirect is offered.
  bool uuids_ok(int route, const Parts& parts) const;
  void fill_params(int route, std::string_view path, const Parts& parts, PathParams& out) const;

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  std::vector<Node> nodes_{1};  // nodes_[0]: the root
  std::vector<MethodTrie> methods_;
  std::optional<Route> fallback_;
};

std::vector<std::string> split_path(const std::string& path, bool& trailing_slash);

}  // namespace wp::http
