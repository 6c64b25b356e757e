#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/ids.hpp"

namespace wp::http {

namespace {

// The runs of characters between slashes. A plain loop: segments are short,
// and a find() per segment cost more than the scan.
template <class Out>
void split_into(std::string_view path, Out& parts) {
  std::size_t start = 0;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') continue;
    if (i > start) parts.emplace_back(path.data() + start, i - start);
    start = i + 1;
  }
}

bool ends_with_slash(std::string_view path) { return path.size() > 1 && path.back() == '/'; }

// The child for a literal segment, or -1. Siblings mostly differ in their
// first byte, which is compared inline: a call to memcmp per probe was a third
// of a match. The order is std::string's (bytes as unsigned char).
int literal_child(const std::vector<std::pair<std::string, int>>& lits, std::string_view part) {
  auto less = [](const std::pair<std::string, int>& e, std::string_view x) {
    std::string_view k = e.first;
    if (!k.empty() && !x.empty() && k[0] != x[0])
      return static_cast<unsigned char>(k[0]) < static_cast<unsigned char>(x[0]);
    return k < x;
  };
  auto it = std::lower_bound(lits.begin(), lits.end(), part, less);
  return it != lits.end() && it->first == part ? it->second : -1;
}

}  // namespace

std::vector<std::string> split_path(const std::string& path, bool& trailing_slash) {
  std::vector<std::string> parts;
  split_into(path, parts);
  trailing_slash = ends_with_slash(path);
  return parts;
}

int Router::child(int node, const Segment& s) {
  auto make = [this] {
    nodes_.emplace_back();
    return static_cast<int>(nodes_.size() - 1);
  };
  if (s.kind != Segment::literal) {
    if (nodes_[node].param < 0) {
      int n = make();
      nodes_[node].param = n;
    }
    return nodes_[node].param;
  }
  auto& lits = nodes_[node].literals;
  auto it = std::lower_bound(lits.begin(), lits.end(), s.text, [](auto& e, auto& t) { return e.first < t; });
  if (it != lits.end() && it->first == s.text) return it->second;
  auto at = it - lits.begin();
  int n = make();  // may move nodes_: re-read the literals after
  auto& again = nodes_[node].literals;
  again.insert(again.begin() + at, {s.text, n});
  return n;
}

void Router::add(Route route) {
  if (route.pattern.empty() || route.pattern[0] != '/') throw std::invalid_argument("bad pattern " + route.pattern);
  Compiled c;
  for (auto& part : split_path(route.pattern, c.trailing_slash)) {
    Segment s;
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      std::string name = part.substr(1, part.size() - 2);
      if (auto colon = name.find(':'); colon != std::string::npos) {
        if (name.substr(colon + 1) != "path") throw std::invalid_argument("unknown parameter type in " + part);
        s.kind = Segment::rest;
        name = name.substr(0, colon);
      } else if (name == "id" || (name.size() > 3 && name.ends_with("_id"))) {
        s.kind = Segment::uuid_param;
      } else {
        s.kind = Segment::param;
      }
      s.text = name;
    } else {
      s.text = part;
    }
    c.segments.push_back(std::move(s));
  }
  if (std::count_if(c.segments.begin(), c.segments.end(), [](auto& s) { return s.kind != Segment::literal; }) >
      static_cast<long>(PathParams::kMax))
    throw std::invalid_argument("too many parameters in " + route.pattern);
  for (std::size_t i = 0; i < routes_.size(); ++i)
    if (routes_[i].pattern == route.pattern && routes_[i].method == route.method)
      throw std::invalid_argument("duplicate route " + route.method + " " + route.pattern);
  const int index = static_cast<int>(routes_.size());
  int node = 0;
  bool rest = false;
  for (auto& s : c.segments) {
    if (s.kind == Segment::rest) {  // the rest of the path, whatever follows the pattern
      nodes_[node].rest.push_back(index);
      rest = true;
      break;
    }
    node = child(node, s);
  }
  if (!rest) nodes_[node].ends[c.trailing_slash].push_back(index);
  add_to_method_trie(index, c, route.method);
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

int Router::method_child(MethodTrie& t, int node, const Segment& s) {
  auto make = [&t] {
    t.nodes.emplace_back();
    return static_cast<int>(t.nodes.size() - 1);
  };
  if (s.kind == Segment::uuid_param || s.kind == Segment::param) {
    int& slot = s.kind == Segment::uuid_param ? t.nodes[node].uuid : t.nodes[node].text;
    if (slot < 0) {
      int n = make();  // may move t.nodes: write through the node again
      (s.kind == Segment::uuid_param ? t.nodes[node].uuid : t.nodes[node].text) = n;
    }
    return s.kind == Segment::uuid_param ? t.nodes[node].uuid : t.nodes[node].text;
  }
  auto& lits = t.nodes[node].literals;
  auto it = std::lower_bound(lits.begin(), lits.end(), s.text, [](auto& e, auto& x) { return e.first < x; });
  if (it != lits.end() && it->first == s.text) return it->second;
  auto at = it - lits.begin();
  int n = make();
  auto& again = t.nodes[node].literals;
  again.insert(again.begin() + at, {s.text, n});
  return n;
}

void Router::add_to_method_trie(int index, const Compiled& c, const std::string& method) {
  auto t = std::find_if(methods_.begin(), methods_.end(), [&](auto& m) { return m.method == method; });
  if (t == methods_.end()) {
    methods_.push_back(MethodTrie{.method = method});
    t = methods_.end() - 1;
  }
  // Indices only grow: a node's first route and a slot's route are the first ones set.
  auto mark = [index](int& slot) {
    if (slot < 0) slot = index;
  };
  int node = 0;
  mark(t->nodes[0].first);
  for (auto& s : c.segments) {
    if (s.kind == Segment::rest) {
      mark(t->nodes[node].rest);
      return;
    }
    node = method_child(*t, node, s);
    mark(t->nodes[node].first);
  }
  mark(t->nodes[node].ends[c.trailing_slash]);
}

void Router::find_first(const MethodTrie& t, int node, const Parts& parts, std::size_t i, bool trailing,
                        int& best) const {
  const auto& n = t.nodes[node];
  if (n.first < 0 || n.first >= best) return;
  if (i == parts.size()) {
    if (n.ends[trailing] >= 0 && n.ends[trailing] < best) best = n.ends[trailing];
    return;
  }
  if (n.rest >= 0 && n.rest < best) best = n.rest;
  if (int lit = literal_child(n.literals, parts[i]); lit >= 0) find_first(t, lit, parts, i + 1, trailing, best);
  if (n.uuid >= 0 && is_uuid(parts[i])) find_first(t, n.uuid, parts, i + 1, trailing, best);
  if (n.text >= 0) find_first(t, n.text, parts, i + 1, trailing, best);
}

void Router::collect(int node, const Parts& parts, std::size_t i, bool trailing, Indices& out) const {
  const auto& n = nodes_[node];
  if (i == parts.size()) {
    out.insert(out.end(), n.ends[trailing].begin(), n.ends[trailing].end());
    return;
  }
  out.insert(out.end(), n.rest.begin(), n.rest.end());
  if (int lit = literal_child(n.literals, parts[i]); lit >= 0) collect(lit, parts, i + 1, trailing, out);
  if (n.param >= 0) collect(n.param, parts, i + 1, trailing, out);
}

bool Router::uuids_ok(int route, const Parts& parts) const {
  const auto& segs = compiled_[route].segments;
  for (std::size_t i = 0; i < segs.size() && segs[i].kind != Segment::rest; ++i)
    if (segs[i].kind == Segment::uuid_param && !is_uuid(parts[i])) return false;
  return true;
}

void Router::fill_params(int route, std::string_view path, const Parts& parts, PathParams& out) const {
  const auto& segs = compiled_[route].segments;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& seg = segs[i];
    if (seg.kind == Segment::literal) continue;
    if (seg.kind == Segment::rest) {
      // The segments from here joined by one slash, and the trailing slash if
      // the path has one: the path from this segment on, runs of slashes as one.
      out.add(seg.text, path.substr(static_cast<std::size_t>(parts[i].data() - path.data())), PathParams::Kind::rest);
      return;
    }
    out.add(seg.text, parts[i], seg.kind == Segment::uuid_param ? PathParams::Kind::uuid : PathParams::Kind::text);
  }
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch m;
  Parts parts;
  split_into(path, parts);
  const bool trailing = ends_with_slash(path);
  const std::string_view want = method == "HEAD" ? std::string_view("GET") : method;
  for (const auto& t : methods_) {
    if (t.method != want) continue;
    int best = static_cast<int>(routes_.size());
    find_first(t, 0, parts, 0, trailing, best);
    if (best < static_cast<int>(routes_.size())) {
      m.kind = RouteMatch::found;
      m.route = &routes_[best];
      fill_params(best, path, parts, m.params);
      return m;
    }
    break;
  }
  answer_unmatched(method, path, parts, trailing, m);
  return m;
}

// No route of the method fits: 405 with Allow, a redirect, the fallback or 404.
void Router::answer_unmatched(std::string_view method, std::string_view path, const Parts& parts, bool trailing,
                              RouteMatch& m) const {
  Indices fitting;
  collect(0, parts, 0, trailing, fitting);
  std::sort(fitting.begin(), fitting.end());
  bool saw_bad_param = false;
  for (int r : fitting) {
    if (uuids_ok(r, parts))
      m.allowed.push_back(routes_[r].method);
    else
      saw_bad_param = true;
  }
  if (!m.allowed.empty()) {
    if (std::find(m.allowed.begin(), m.allowed.end(), "GET") != m.allowed.end()) m.allowed.push_back("HEAD");
    m.allowed.push_back("OPTIONS");
    m.kind = RouteMatch::method_not_allowed;
    return;
  }
  if (!trailing && !saw_bad_param && path != "/") {
    Indices with_slash;
    collect(0, parts, 0, true, with_slash);
    for (int r : with_slash)
      if (compiled_[r].trailing_slash && uuids_ok(r, parts)) {
        m.kind = RouteMatch::redirect;
        m.location = std::string(path) + "/";
        return;
      }
  }
  if (fallback_ && (method == "GET" || method == "HEAD")) {
    m.kind = RouteMatch::found;
    m.route = &*fallback_;
    m.params.add("path", path, PathParams::Kind::text);
    return;
  }
  m.kind = RouteMatch::not_found;
}

}  // namespace wp::http
