#include "http/range.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <vector>

#include "http/header_values.hpp"

namespace wp::http {

namespace {

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
  header = trim_blanks(header);
  constexpr std::string_view unit = "bytes=";
  if (header.size() < unit.size()) return out;
  for (std::size_t i = 0; i < unit.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != unit[i]) return out;
  header.remove_prefix(unit.size());

  std::vector<std::string_view> specs;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto spec = trim_blanks(header.substr(0, comma));
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
    auto a = trim_blanks(spec.substr(0, dash));
    auto b = trim_blanks(spec.substr(dash + 1));
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
  std::string text(trim_blanks(s));
  // IMF-fixdate, RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT"), asctime ("Sun Nov  6 08:49:37 1994").
  for (const char* format : {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), format, &tm);
    if (end && *end == '\0') return timegm(&tm);
  }
  return std::nullopt;
}

namespace {

bool is_weak(std::string_view tag) { return tag.size() > 2 && tag[0] == 'W' && tag[1] == '/'; }

std::string_view opaque(std::string_view tag) { return is_weak(tag) ? tag.substr(2) : tag; }

// The next member of an entity-tag list. Commas may appear inside a quoted
// tag, so a member ends at the first comma after its closing quote.
std::string_view next_member(std::string_view& list) {
  std::size_t open = list.find('"');
  std::size_t comma = list.find(',');
  if (open != std::string_view::npos && open < comma) {
    std::size_t close = list.find('"', open + 1);
    comma = close == std::string_view::npos ? std::string_view::npos : list.find(',', close + 1);
  }
  auto item = trim_blanks(list.substr(0, comma));
  list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  return item;
}

}  // namespace

bool etag_matches(std::string_view list, std::string_view etag) {
  auto want = opaque(etag);
  while (!list.empty()) {
    auto item = next_member(list);
    if (item == "*" || (!item.empty() && opaque(item) == want)) return true;
  }
  return false;
}

bool etag_equals_strong(std::string_view a, std::string_view b) {
  a = trim_blanks(a);
  b = trim_blanks(b);
  return !a.empty() && a.front() == '"' && !is_weak(a) && !is_weak(b) && a == b;
}

namespace {

bool if_range_holds(std::string_view validator, const Representation& r, std::time_t now) {
  validator = trim_blanks(validator);
  if (!validator.empty() && (validator.front() == '"' || is_weak(validator)))
    return etag_equals_strong(validator, r.etag);
  auto date = parse_http_date(validator);
  return date && *date == r.last_modified && now - r.last_modified >= 1;
}

bool not_modified(const Conditions& c, const Representation& r) {
  if (c.if_none_match) return etag_matches(*c.if_none_match, r.etag);
  if (!c.if_modified_since) return false;
  auto since = parse_http_date(*c.if_modified_since);
  return since && r.last_modified <= *since;
}

}  // namespace

Selection select_response(const Conditions& c, const Representation& r, bool ranges, std::time_t now) {
  if (not_modified(c, r)) return {Selection::not_modified, {}};
  if (!ranges || !c.range) return {};
  if (c.if_range && !if_range_holds(*c.if_range, r, now)) return {};
  auto asked = parse_range(*c.range, r.size);
  switch (asked.kind) {
    case RangeRequest::single: return {Selection::partial, asked.range};
    case RangeRequest::unsatisfiable: return {Selection::unsatisfiable, {}};
    case RangeRequest::none:
    case RangeRequest::multiple: return {};  // documented: several ranges get the whole file
  }
  return {};
}

}  // namespace wp::http
