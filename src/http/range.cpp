#include "http/range.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <vector>

namespace wp::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

RangeRequest parse_range(std::string_view header, std::uint64_t size) {
  RangeRequest out;
  header = trim(header);
  constexpr std::string_view unit = "bytes=";
  if (header.size() < unit.size()) return out;
  for (std::size_t i = 0; i < unit.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != unit[i]) return out;
  header.remove_prefix(unit.size());

  std::vector<std::string_view> specs;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto spec = trim(header.substr(0, comma));
    if (!spec.empty()) specs.push_back(spec);
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  if (specs.empty()) return out;

  int satisfiable = 0;
  ByteRange first;
  for (auto spec : specs) {
    auto dash = spec.find('-');
    if (dash == std::string_view::npos) return {};  // malformed: ignore the header
    auto a = trim(spec.substr(0, dash));
    auto b = trim(spec.substr(dash + 1));
    ByteRange r;
    if (a.empty()) {  // suffix: the last n bytes
      auto n = number(b);
      if (!n) return {};
      if (*n == 0 || size == 0) continue;
      r.length = std::min(*n, size);
      r.start = size - r.length;
    } else {
      auto start = number(a);
      if (!start) return {};
      std::uint64_t end = size == 0 ? 0 : size - 1;
      if (!b.empty()) {
        auto e = number(b);
        if (!e || *e < *start) return {};
        end = std::min(*e, end);
      }
      if (*start >= size) continue;
      r.start = *start;
      r.length = end - *start + 1;
    }
    if (satisfiable++ == 0) first = r;
  }
  if (satisfiable == 0) {
    out.kind = RangeRequest::unsatisfiable;
  } else if (specs.size() > 1) {
    out.kind = RangeRequest::multiple;
  } else {
    out.kind = RangeRequest::single;
    out.range = first;
  }
  return out;
}

std::string make_etag(std::uint64_t size, std::int64_t mtime_ns) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"%llx-%llx\"", static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(mtime_ns));
  return buf;
}

std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<std::time_t> parse_http_date(std::string_view s) {
  std::tm tm{};
  std::string text(trim(s));
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return timegm(&tm);
}

bool etag_matches(std::string_view list, std::string_view etag) {
  auto strip_weak = [](std::string_view t) {
    if (t.size() > 2 && t[0] == 'W' && t[1] == '/') t.remove_prefix(2);
    return t;
  };
  auto want = strip_weak(etag);
  while (!list.empty()) {
    auto comma = list.find(',');
    auto item = trim(list.substr(0, comma));
    if (item == "*" || (!item.empty() && strip_weak(item) == want)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace wp::http
