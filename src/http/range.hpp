#pragma once
// Conditional GET and range requests for bytes on disk (RFC 9110 sections
// 13 and 14), as pure functions: the Range header parser, validators (ETag,
// Last-Modified), their comparisons, and the one decision that combines
// them. http/file_response applies that decision to a file.
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
// IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients must accept.
std::optional<std::time_t> parse_http_date(std::string_view s);
// If-None-Match: true when the list names etag (weak comparison) or is "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag);
// Strong comparison (If-Range): both tags are strong and identical.
bool etag_equals_strong(std::string_view a, std::string_view b);

// What a conditional GET is evaluated against.
struct Representation {
  std::uint64_t size = 0;
  std::string etag;  // strong
  std::time_t last_modified = 0;
};

// The request's conditional header fields, absent when not sent.
struct Conditions {
  std::optional<std::string> if_none_match;
  std::optional<std::string> if_modified_since;
  std::optional<std::string> range;
  std::optional<std::string> if_range;
};

struct Selection {
  // full: 200 with everything; not_modified: 304; partial: 206 with range;
  // unsatisfiable: 416 with Content-Range: bytes */size.
  enum Kind { full, not_modified, partial, unsatisfiable } kind = full;
  ByteRange range;
};

// In the order of RFC 9110 section 13.2.2: If-None-Match (or, without it,
// If-Modified-Since) answers 304 when the client's copy is current; then,
// when the route serves ranges, a Range that If-Range lets through answers
// 206 or 416. Several ranges, a failed If-Range or a malformed Range get
// the full representation. An If-Range date counts only as a strong
// validator: equal to Last-Modified, and that at least a second before now.
Selection select_response(const Conditions& c, const Representation& r, bool ranges, std::time_t now);

}  // namespace wp::http
