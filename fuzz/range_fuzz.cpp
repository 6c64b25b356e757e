// libFuzzer target: Range and the conditional request headers (RFC 9110 13,
// 14). Input: a file size (8 bytes), then Range, If-Range, If-None-Match,
// If-Modified-Since separated by newlines. A satisfiable range must lie
// inside the file.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "http/range.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  std::uint64_t file_size = 0;
  std::memcpy(&file_size, data, 8);
  file_size >>= (data[0] & 63);  // small sizes too
  std::string_view text(reinterpret_cast<const char*>(data + 8), size - 8);
  std::string fields[4];
  for (auto& f : fields) {
    auto nl = text.find('\n');
    f = std::string(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  }
  auto r = wp::http::parse_range(fields[0], file_size);
  if (r.kind == wp::http::RangeRequest::single &&
      (r.range.length == 0 || r.range.start >= file_size || r.range.length > file_size - r.range.start))
    __builtin_trap();
  (void)wp::http::parse_http_date(fields[3]);
  (void)wp::http::etag_matches(fields[2], "\"5-abc\"");
  (void)wp::http::etag_equals_strong(fields[1], "\"5-abc\"");
  wp::http::Representation rep{.size = file_size, .etag = wp::http::make_etag(file_size, 1), .last_modified = 1000};
  wp::http::Conditions c{.if_none_match = fields[2], .if_modified_since = fields[3], .range = fields[0],
                         .if_range = fields[1]};
  auto s = wp::http::select_response(c, rep, true, 2000);
  if (s.kind == wp::http::Selection::partial &&
      (s.range.start >= file_size || s.range.length > file_size - s.range.start))
    __builtin_trap();
  return 0;
}
