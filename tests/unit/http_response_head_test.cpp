// The head of an answer as write_response_head writes it (RFC 9112 §4, §6).
#include <gtest/gtest.h>

#include "http/response_head.hpp"

namespace {

using wp::http::Headers;
using wp::http::ResponseHead;
using wp::http::write_response_head;

TEST(ResponseHead, StatusLineTypeHeadersInOrderAndLength) {
  Headers headers{{"X-Request-ID", "abc"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
  std::string out = "left over from the last answer";
  write_response_head(out, {.status = 201, .keep_alive = true, .content_type = "application/json",
                            .headers = &headers, .content_length = 17});
  EXPECT_EQ(out,
            "HTTP/1.1 201 Created\r\nServer: watchparty\r\nContent-Type: application/json\r\nX-Request-ID: abc\r\n"
            "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 17\r\n\r\n");
}

TEST(ResponseHead, CloseIsSaidAndNoLengthWhenThereIsNoBody) {
  std::string out;
  write_response_head(out, {.status = 304, .keep_alive = false, .content_type = {}, .headers = nullptr,
                            .content_length = std::nullopt});
  EXPECT_EQ(out, "HTTP/1.1 304 Not Modified\r\nServer: watchparty\r\nConnection: close\r\n\r\n");
  write_response_head(out, {.status = 200, .keep_alive = true, .content_type = "text/plain", .headers = nullptr,
                            .content_length = 0});
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nServer: watchparty\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, ABodyInPiecesIsChunkedWithoutALength) {
  std::string out;
  write_response_head(out, {.status = 200, .keep_alive = true, .content_type = "text/csv", .headers = nullptr,
                            .content_length = std::nullopt, .chunked = true});
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nServer: watchparty\r\nContent-Type: text/csv\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n");
}

TEST(ResponseHead, AFieldThatCouldEndItsLineIsLeftOutAndCounted) {
  Headers headers{{"Content-Disposition", "attachment; filename=\"a\r\nSet-Cookie: x=1\""},
                  {"X-Bad\nName", "v"},
                  {"", "v"},
                  {"X-Colon:", "v"},
                  {std::string("X-Nul"), std::string("a\0b", 3)},
                  {"X-Fine", "kept"}};
  std::string out;
  std::size_t dropped = 0;
  write_response_head(out, {.status = 200, .keep_alive = true, .content_type = {}, .headers = &headers,
                            .content_length = 2},
                      &dropped);
  EXPECT_EQ(dropped, 5u);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nServer: watchparty\r\nX-Fine: kept\r\nContent-Length: 2\r\n\r\n");
}

TEST(ResponseHead, EveryStatusWeAnswerHasItsReason) {
  std::string out;
  for (int status : {400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 431, 500, 501, 503}) {
    write_response_head(out, {.status = status, .keep_alive = true, .content_type = {}, .headers = nullptr,
                              .content_length = 0});
    auto line = out.substr(0, out.find("\r\n"));
    EXPECT_EQ(line.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0), 0u) << line;
    EXPECT_EQ(line.find("unknown"), std::string::npos) << line;
    EXPECT_GT(line.size(), 13u) << line;
  }
}

}  // namespace
