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
#include "support/router_reference.hpp"

using namespace wp::http;

namespace {

using wp::test::Reference;
using Row = wp::test::RouteRow;

std::vector<Row> real_table() {
  std::ifstream in(WATCHPARTY_ROUTES_FILE);
  std::vector<Row> rows;
  std::string method, pattern;
  while (in >> method >> pattern) rows.push_back({method, pattern});
  return rows;
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
    ASSERT_EQ(wp::test::answer(router, method, path), want) << method << " " << path;
    (want.starts_with("found") ? found : other)++;
  }
  // Both halves were exercised: routes found, and 405s, redirects, 404s and the fallback.
  EXPECT_GT(found, 5'000);
  EXPECT_GT(other, 5'000);
}

}  // namespace
