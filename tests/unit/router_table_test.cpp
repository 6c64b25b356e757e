// The router over the server's real route table (bench/micro/routes.txt,
// printed by `watchparty routes`) against a plain reference matcher: a scan
// of the table in order, written from the rules rather than from the trie.
// Paths are made from the table's own patterns, then bent: parameters filled
// with UUIDs (either case), other routes' literals and junk, segments dropped
// or added, slashes doubled or left off, every method.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "http/router.hpp"

using namespace wp::http;

namespace {

struct Row {
  std::string method, pattern;
};

std::vector<Row> real_table() {
  std::ifstream in(WATCHPARTY_ROUTES_FILE);
  std::vector<Row> rows;
  std::string method, pattern;
  while (in >> method >> pattern) rows.push_back({method, pattern});
  return rows;
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream ss(path);
  for (std::string s; std::getline(ss, s, '/');)
    if (!s.empty()) out.push_back(s);
  return out;
}

bool ends_with_slash(const std::string& p) { return p.size() > 1 && p.back() == '/'; }

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

  explicit Reference(const std::vector<Row>& rows) {
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
    if (method == "GET" || method == "HEAD") return "fallback path=" + path + ";";
    return "404";
  }
};

std::string answer(const Router& router, const std::string& method, const std::string& path) {
  auto m = router.match(method, path);
  switch (m.kind) {
    case RouteMatch::found: {
      std::map<std::string, std::string> params;
      m.params.copy_to(params);
      std::string text;
      for (auto& [k, v] : params) text += k + "=" + v + ";";
      const Route* begin = router.routes().data();
      const Route* end = begin + router.routes().size();
      if (std::less<const Route*>()(m.route, begin) || !std::less<const Route*>()(m.route, end))
        return "fallback " + text;
      return "found " + std::to_string(m.route - router.routes().data()) + " " + text;
    }
    case RouteMatch::method_not_allowed: {
      std::string text = "405 ";
      for (auto& a : m.allowed) text += a + ",";
      return text;
    }
    case RouteMatch::redirect: return "redirect " + m.location;
    case RouteMatch::not_found: return "404";
  }
  return "?";
}

const std::string kId = "6f1c2a3e-1111-4222-8333-444455556666";

TEST(RouterTable, TheRealTableIsThere) {
  auto rows = real_table();
  EXPECT_GT(rows.size(), 250u) << "bench/micro/routes.txt: regenerate with `build/watchparty routes`";
}

TEST(RouterTable, AnswersAsAScanOfTheRealTable) {
  auto rows = real_table();
  ASSERT_FALSE(rows.empty());
  Router router;
  for (auto& r : rows) router.add({.method = r.method, .pattern = r.pattern});
  router.set_fallback(Route{.method = "GET", .pattern = "/{path:path}"});
  Reference ref(rows);

  std::vector<std::string> literals;
  for (auto& r : ref.table)
    for (auto& s : r.segs)
      if (!Reference::is_param(s)) literals.push_back(s);
  std::sort(literals.begin(), literals.end());
  literals.erase(std::unique(literals.begin(), literals.end()), literals.end());
  const std::vector<std::string> methods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  std::string upper = kId;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);

  std::mt19937 rng(23);
  auto pick = [&](const auto& v) -> const auto& { return v[rng() % v.size()]; };
  auto filler = [&]() -> std::string {
    switch (rng() % 6) {
      case 0: return kId;
      case 1: return upper;
      case 2: return "6f1c2a3e-1111-4222-8333-44445555666";  // one short
      case 3: return "me";
      default: return pick(literals);
    }
  };
  int found = 0, other = 0;
  for (int q = 0; q < 30'000; ++q) {
    const auto& r = pick(ref.table);
    std::vector<std::string> parts;
    for (auto& s : r.segs) {
      if (Reference::is_rest(s)) {
        for (std::size_t n = 1 + rng() % 3; n > 0; --n) parts.push_back(rng() % 2 ? filler() : "seg.ts");
        break;
      }
      if (Reference::is_uuid_param(s) && rng() % 4 != 0)
        parts.push_back(rng() % 2 ? kId : upper);  // mostly a UUID where one is due, so that routes are found
      else
        parts.push_back(Reference::is_param(s) ? filler() : s);
    }
    switch (rng() % 8) {  // bend it
      case 0: parts.push_back(filler()); break;
      case 1:
        if (!parts.empty()) parts.pop_back();
        break;
      case 2:
        if (!parts.empty()) parts[rng() % parts.size()] = filler();
        break;
      default: break;
    }
    std::string sep = rng() % 10 == 0 ? "//" : "/";
    std::string path = "/";
    for (auto& p : parts) path += p + sep;
    bool slash = rng() % 4 == 0 ? !r.slash : r.slash;
    if (!slash && path.size() > 1) path.erase(path.find_last_not_of('/') + 1);
    const auto& method = rng() % 3 == 0 ? pick(methods) : r.method;
    auto want = ref.answer(method, path);
    ASSERT_EQ(answer(router, method, path), want) << method << " " << path;
    (want.starts_with("found") ? found : other)++;
  }
  // Both halves were exercised: routes found, and 405s, redirects, 404s and the fallback.
  EXPECT_GT(found, 5'000);
  EXPECT_GT(other, 5'000);
}

}  // namespace
