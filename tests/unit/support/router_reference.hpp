#pragma once
// A reference for the router's tests: what a route table answers for
// (method, path), written out from the rules as a scan of the table in
// order rather than from the trie. Both router tests compare the Router
// with it: router_test over random tables, router_table_test over the
// server's real one.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "http/router.hpp"

namespace wp::test {

struct RouteRow {
  std::string method, pattern;
};

inline std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream ss(path);
  for (std::string s; std::getline(ss, s, '/');)
    if (!s.empty()) out.push_back(s);
  return out;
}

inline bool ends_with_slash(const std::string& p) { return p.size() > 1 && p.back() == '/'; }

// The rules, as a scan: what a route's answer for (method, path) is, written out.
struct Reference {
  struct R {
    std::string method;
    std::vector<std::string> segs;
    bool slash;
  };
  std::vector<R> table;

  static bool is_param(const std::string& s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }
  static bool is_rest(const std::string& s) { return is_param(s) && s.ends_with(":path}"); }
  static bool is_uuid_param(const std::string& s) {
    auto name = s.substr(1, s.size() - 2);
    return is_param(s) && !is_rest(s) && (name == "id" || (name.size() > 3 && name.ends_with("_id")));
  }

  // fallback: the router has a GET fallback route (`/{path:path}`), as the server does.
  explicit Reference(const std::vector<RouteRow>& rows, bool fallback = true) : fallback_(fallback) {
    for (auto& r : rows) table.push_back({r.method, segments(r.pattern), ends_with_slash(r.pattern)});
  }

  enum Fit { no, yes, bad_uuid };
  Fit fits(const R& r, const std::vector<std::string>& parts, bool trailing) const {
    bool bad = false;
    for (std::size_t i = 0; i < r.segs.size(); ++i) {
      const auto& s = r.segs[i];
      if (is_rest(s)) return i < parts.size() ? (bad ? bad_uuid : yes) : no;
      if (i >= parts.size()) return no;
      if (!is_param(s)) {
        if (s != parts[i]) return no;
      } else if (is_uuid_param(s) && !wp::is_uuid(parts[i])) {
        bad = true;
      }
    }
    if (parts.size() != r.segs.size() || trailing != r.slash) return no;
    return bad ? bad_uuid : yes;
  }

  std::string params(const R& r, const std::vector<std::string>& parts, bool trailing) const {
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < r.segs.size(); ++i) {
      const auto& s = r.segs[i];
      if (!is_param(s)) continue;
      auto name = s.substr(1, s.find_first_of(":}") - 1);
      if (is_rest(s)) {
        std::string v;
        for (std::size_t k = i; k < parts.size(); ++k) v += (k == i ? "" : "/") + parts[k];
        out[name] = v + (trailing ? "/" : "");
        break;
      }
      std::string v = parts[i];
      if (is_uuid_param(s)) std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
      out[name] = v;
    }
    std::string text;
    for (auto& [k, v] : out) text += k + "=" + v + ";";
    return text;
  }

  std::string answer(const std::string& method, const std::string& path) const {
    auto parts = segments(path);
    bool trailing = ends_with_slash(path);
    std::string want = method == "HEAD" ? "GET" : method;
    for (std::size_t i = 0; i < table.size(); ++i)
      if (table[i].method == want && fits(table[i], parts, trailing) == yes)
        return "found " + std::to_string(i) + " " + params(table[i], parts, trailing);
    std::string allowed;
    bool bad = false, get = false;
    for (auto& r : table) {
      auto f = fits(r, parts, trailing);
      bad |= f == bad_uuid;
      if (f != yes) continue;
      allowed += r.method + ",";
      get |= r.method == "GET";
    }
    if (!allowed.empty()) return "405 " + allowed + (get ? "HEAD," : "") + "OPTIONS,";
    if (!trailing && !bad && path != "/")
      for (auto& r : table)
        if (r.slash && fits(r, parts, true) == yes) return "redirect " + path + "/";
    if (fallback_ && (method == "GET" || method == "HEAD")) return "fallback path=" + path + ";";
    return "404";
  }

 private:
  bool fallback_;
};

// The router's answer in the reference's words.
inline std::string answer(const wp::http::Router& router, const std::string& method, const std::string& path) {
  auto m = router.match(method, path);
  switch (m.kind) {
    case wp::http::RouteMatch::found: {
      std::map<std::string, std::string> params;
      m.params.copy_to(params);
      std::string text;
      for (auto& [k, v] : params) text += k + "=" + v + ";";
      const wp::http::Route* begin = router.routes().data();
      const wp::http::Route* end = begin + router.routes().size();
      if (std::less<const wp::http::Route*>()(m.route, begin) || !std::less<const wp::http::Route*>()(m.route, end))
        return "fallback " + text;
      return "found " + std::to_string(m.route - router.routes().data()) + " " + text;
    }
    case wp::http::RouteMatch::method_not_allowed: {
      std::string text = "405 ";
      for (auto& a : m.allowed) text += a + ",";
      return text;
    }
    case wp::http::RouteMatch::redirect: return "redirect " + m.location;
    case wp::http::RouteMatch::not_found: return "404";
  }
  return "?";
}

}  // namespace wp::test
