#pragma once
// The status line and header section of an answer, written straight into a
// buffer the connection reuses: no header container, no serializer, one
// gathered write with the body (response_writer.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace wp::http {

struct ResponseHead {
  int status = 200;
  bool keep_alive = true;
  std::string_view content_type;             // omitted when empty
  const Headers* headers = nullptr;          // in order, after Server and Content-Type
  std::optional<std::uint64_t> content_length;  // omitted when nullopt (204, 304, a chunked body)
  bool chunked = false;                         // Transfer-Encoding: chunked (a body made in pieces)
};

// Replaces out with the head, ending in the blank line. A header whose name
// or value could end the line (CR, LF, NUL) or whose name is empty is left
// out and reported in *dropped: it would let a value forge headers.
void write_response_head(std::string& out, const ResponseHead& head, std::size_t* dropped = nullptr);

}  // namespace wp::http
