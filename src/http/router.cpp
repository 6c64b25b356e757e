#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/ids.hpp"

namespace wp::http {

namespace {

template <class Out>
void split_into(std::string_view path, Out& parts) {
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.emplace_back(path.substr(i, j - i));
    i = j;
  }
}

bool ends_with_slash(std::string_view path) { return path.size() > 1 && path.back() == '/'; }

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
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

void Router::collect(int node, const Parts& parts, std::size_t i, bool trailing, Indices& out) const {
  const auto& n = nodes_[node];
  if (i == parts.size()) {
    out.insert(out.end(), n.ends[trailing].begin(), n.ends[trailing].end());
    return;
  }
  out.insert(out.end(), n.rest.begin(), n.rest.end());
  auto it = std::lower_bound(n.literals.begin(), n.literals.end(), parts[i],
                             [](auto& e, std::string_view t) { return std::string_view(e.first) < t; });
  if (it != n.literals.end() && it->first == parts[i]) collect(it->second, parts, i + 1, trailing, out);
  if (n.param >= 0) collect(n.param, parts, i + 1, trailing, out);
}

bool Router::uuids_ok(int route, const Parts& parts) const {
  const auto& segs = compiled_[route].segments;
  for (std::size_t i = 0; i < segs.size() && segs[i].kind != Segment::rest; ++i)
    if (segs[i].kind == Segment::uuid_param && !is_uuid(parts[i])) return false;
  return true;
}

void Router::fill_params(int route, const Parts& parts, bool trailing, std::map<std::string, std::string>& out) const {
  const auto& segs = compiled_[route].segments;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& seg = segs[i];
    if (seg.kind == Segment::literal) continue;
    if (seg.kind == Segment::rest) {
      std::string rest;
      for (std::size_t k = i; k < parts.size(); ++k) (rest += (k == i ? "" : "/")) += parts[k];
      if (trailing) rest += '/';
      out[seg.text] = std::move(rest);
      return;
    }
    std::string v(parts[i]);
    if (seg.kind == Segment::uuid_param)
      std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return std::tolower(ch); });
    out[seg.text] = std::move(v);
  }
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch m;
  Parts parts;
  split_into(path, parts);
  const bool trailing = ends_with_slash(path);
  const std::string_view want = method == "HEAD" ? std::string_view("GET") : std::string_view(method);
  Indices fitting;
  collect(0, parts, 0, trailing, fitting);
  std::sort(fitting.begin(), fitting.end());  // the table's order decides
  bool saw_bad_param = false;
  int found = -1;
  for (int r : fitting) {
    if (!uuids_ok(r, parts)) {
      saw_bad_param = true;
      continue;
    }
    if (routes_[r].method == want) {
      found = r;
      break;
    }
  }
  if (found >= 0) {
    m.kind = RouteMatch::found;
    m.route = &routes_[found];
    fill_params(found, parts, trailing, m.params);
    return m;
  }
  for (int r : fitting)
    if (uuids_ok(r, parts)) m.allowed.push_back(routes_[r].method);
  if (!m.allowed.empty()) {
    if (std::find(m.allowed.begin(), m.allowed.end(), "GET") != m.allowed.end()) m.allowed.push_back("HEAD");
    m.allowed.push_back("OPTIONS");
    m.kind = RouteMatch::method_not_allowed;
    return m;
  }
  if (!trailing && !saw_bad_param && path != "/") {
    Indices with_slash;
    collect(0, parts, 0, true, with_slash);
    for (int r : with_slash)
      if (compiled_[r].trailing_slash && uuids_ok(r, parts)) {
        m.kind = RouteMatch::redirect;
        m.location = path + "/";
        return m;
      }
  }
  if (fallback_ && (method == "GET" || method == "HEAD")) {
    m.kind = RouteMatch::found;
    m.route = &*fallback_;
    m.params["path"] = path;
    return m;
  }
  m.kind = RouteMatch::not_found;
  return m;
}

}  // namespace wp::http
