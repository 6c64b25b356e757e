#pragma once
// Range requests for static bytes (RFC 9110 section 14): the Range header
// parser, validators (ETag, Last-Modified) and conditional checks.
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace wp::http {

struct ByteRange {
  std::uint64_t start = 0;
  std::uint64_t length = 0;
};

struct RangeRequest {
  // none: no usable Range (absent, not bytes, or malformed): send 200 full.
  // single: one satisfiable range: 206.
  // multiple: more than one range: we answer 200 with the whole file.
  // unsatisfiable: 416 with Content-Range: bytes */size.
  enum Kind { none, single, multiple, unsatisfiable } kind = none;
  ByteRange range;
};

RangeRequest parse_range(std::string_view header, std::uint64_t size);

// Strong validator from size and modification time.
std::string make_etag(std::uint64_t size, std::int64_t mtime_ns);
// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::time_t t);
std::optional<std::time_t> parse_http_date(std::string_view s);
// If-None-Match: true when the list names etag (weak comparison) or is "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace wp::http
