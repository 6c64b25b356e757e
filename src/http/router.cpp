#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/ids.hpp"

namespace wp::http {

std::vector<std::string> split_path(const std::string& path, bool& trailing_slash) {
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j;
  }
  trailing_slash = path.size() > 1 && path.back() == '/';
  return parts;
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
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

Router::PathFit Router::fits(const Compiled& c, const std::vector<std::string>& parts, bool trailing,
                             std::map<std::string, std::string>& params) const {
  bool bad = false;
  std::size_t i = 0;
  for (; i < c.segments.size(); ++i) {
    const auto& seg = c.segments[i];
    if (seg.kind == Segment::rest) {
      if (i >= parts.size()) return PathFit::no;
      std::string rest;
      for (std::size_t k = i; k < parts.size(); ++k) rest += (k == i ? "" : "/") + parts[k];
      if (trailing) rest += '/';
      params[seg.text] = rest;
      return bad ? PathFit::bad_param : PathFit::yes;
    }
    if (i >= parts.size()) return PathFit::no;
    if (seg.kind == Segment::literal) {
      if (parts[i] != seg.text) return PathFit::no;
    } else {
      if (seg.kind == Segment::uuid_param && !is_uuid(parts[i])) bad = true;
      std::string v = parts[i];
      std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return std::tolower(ch); });
      params[seg.text] = seg.kind == Segment::uuid_param ? v : parts[i];
    }
  }
  if (i != parts.size() || trailing != c.trailing_slash) return PathFit::no;
  return bad ? PathFit::bad_param : PathFit::yes;
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch m;
  bool trailing = false;
  auto parts = split_path(path, trailing);
  const std::string& want = method == "HEAD" ? std::string("GET") : method;
  bool saw_bad_param = false;
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    std::map<std::string, std::string> params;
    auto fit = fits(compiled_[r], parts, trailing, params);
    if (fit == PathFit::no) continue;
    if (fit == PathFit::bad_param) {
      saw_bad_param = true;
      continue;
    }
    m.allowed.push_back(routes_[r].method);
    if (routes_[r].method == want && m.kind != RouteMatch::found) {
      m.kind = RouteMatch::found;
      m.route = &routes_[r];
      m.params = std::move(params);
    }
  }
  if (m.kind == RouteMatch::found) return m;
  if (!m.allowed.empty()) {
    if (std::find(m.allowed.begin(), m.allowed.end(), "GET") != m.allowed.end()) m.allowed.push_back("HEAD");
    m.allowed.push_back("OPTIONS");
    m.kind = RouteMatch::method_not_allowed;
    return m;
  }
  if (!trailing && !saw_bad_param && path != "/") {
    std::map<std::string, std::string> ignored;
    for (auto& c : compiled_) {
      if (c.trailing_slash && fits(c, parts, true, ignored) == PathFit::yes) {
        m.kind = RouteMatch::redirect;
        m.location = path + "/";
        return m;
      }
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
