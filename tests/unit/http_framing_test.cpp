#include <gtest/gtest.h>

#include "http/framing.hpp"

using wp::ErrorCode;
using wp::http::framing_error;
using wp::http::Headers;
using wp::http::has_bare_line_ending;

namespace {

std::optional<ErrorCode> refusal(Headers h) {
  auto e = framing_error(h);
  if (!e) return std::nullopt;
  return e->code();
}

}  // namespace

TEST(HttpFraming, OneFinalChunkedOrNoTransferEncodingIsFramed) {
  EXPECT_EQ(refusal({}), std::nullopt);
  EXPECT_EQ(refusal({{"Content-Length", "5"}}), std::nullopt);
  EXPECT_EQ(refusal({{"Transfer-Encoding", "chunked"}}), std::nullopt);
  EXPECT_EQ(refusal({{"transfer-encoding", " Chunked "}}), std::nullopt);
}

TEST(HttpFraming, ACodingOtherThanAFinalChunkedIsRefused) {
  for (auto v : {"gzip", "identity", "xchunked", "chunked, gzip", "", ",", "chunked,"})
    EXPECT_EQ(refusal({{"Transfer-Encoding", v}}), ErrorCode::validation) << v;
  for (auto v : {"gzip, chunked", "chunked, chunked", "identity,chunked"})
    EXPECT_EQ(refusal({{"Transfer-Encoding", v}}), ErrorCode::not_implemented) << v;
  // Two lines read as one list.
  EXPECT_EQ(refusal({{"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}}), ErrorCode::not_implemented);
  EXPECT_EQ(refusal({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip"}}), ErrorCode::validation);
}

TEST(HttpFraming, ContentLengthWithTransferEncodingIsRefused) {
  EXPECT_EQ(refusal({{"Content-Length", "3"}, {"Transfer-Encoding", "chunked"}}), ErrorCode::validation);
  EXPECT_EQ(refusal({{"Transfer-Encoding", "gzip"}, {"content-length", "3"}}), ErrorCode::validation);
}

TEST(HttpFraming, BareLineEndings) {
  EXPECT_FALSE(has_bare_line_ending(""));
  EXPECT_FALSE(has_bare_line_ending("5\r\nhello\r\n"));
  EXPECT_FALSE(has_bare_line_ending("5\r"));  // the LF may still come
  EXPECT_TRUE(has_bare_line_ending("5\nhello"));
  EXPECT_TRUE(has_bare_line_ending("\n"));
  EXPECT_TRUE(has_bare_line_ending("5\rx"));
}

TEST(HttpFraming, WebSocketKeyIsBase64Of16Bytes) {
  EXPECT_TRUE(wp::http::is_websocket_key("dGhlIHNhbXBsZSBub25jZQ=="));  // RFC 6455's example
  EXPECT_TRUE(wp::http::is_websocket_key("AAAAAAAAAAAAAAAAAAAAAA=="));
  for (auto bad : {"", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZR==",
                   "dGhlIHNhbXBsZSBub25j!Q==", "dGhlIHNhbXBsZSBub25jZQ==x", "dGhlIHNhbXBsZSBub25jZXM="})
    EXPECT_FALSE(wp::http::is_websocket_key(bad)) << bad;
}

TEST(HttpFraming, ALaterMinorVersionIsReadAs11) {
  using wp::http::RequestVersion;
  using wp::http::request_line_version;
  std::size_t at = 0;
  EXPECT_EQ(request_line_version("GET / HTTP/1.2\r\nHost: x\r\n\r\n", &at), RequestVersion::read_as_1_1);
  EXPECT_EQ(at, 13u);
  EXPECT_EQ(request_line_version("GET /a%20b?x=HTTP/1.9 HTTP/1.9\r\n", &at), RequestVersion::read_as_1_1);
  EXPECT_EQ(at, 29u);
  for (auto as_sent : {"GET / HTTP/1.1\r\n", "GET / HTTP/1.0\r\n", "GET / HTTP/2.0\r\n", "GET / HTTP/1.x\r\n",
                       "GET / HTTP/1.12\r\n", "GET / http/1.2\r\n", "GET\r\n", "\r\n"})
    EXPECT_EQ(request_line_version(as_sent), RequestVersion::as_sent) << as_sent;
  EXPECT_EQ(request_line_version("GET / HTTP/1.2"), RequestVersion::incomplete);
  EXPECT_EQ(request_line_version(""), RequestVersion::incomplete);
}
