// Conditional GET and byte ranges (http/range.hpp, http/file_response.hpp):
// the one implementation behind the video file routes and the static files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/error.hpp"
#include "http/file_response.hpp"
#include "http/range.hpp"

using namespace wp::http;
namespace fs = std::filesystem;

namespace {

constexpr std::time_t kSunday = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

Representation rep() { return {1000, "\"3e8-abc\"", kSunday}; }
std::time_t an_hour_later() { return kSunday + 3600; }

Selection select(const Conditions& c, bool ranges = true, std::time_t now = an_hour_later()) {
  return select_response(c, rep(), ranges, now);
}

Conditions ranged(std::string range, std::optional<std::string> if_range = std::nullopt) {
  Conditions c;
  c.range = std::move(range);
  c.if_range = std::move(if_range);
  return c;
}

}  // namespace

// ---------------------------------------------------------------- validators

TEST(Conditional, IfNoneMatchUsesWeakComparison) {
  std::string tag = "\"3e8-abc\"";
  EXPECT_TRUE(etag_matches(tag, tag));
  EXPECT_TRUE(etag_matches("W/" + tag, tag));
  EXPECT_TRUE(etag_matches(tag, "W/" + tag));
  EXPECT_TRUE(etag_matches("\"other\" , " + tag, tag));
  EXPECT_TRUE(etag_matches("*", tag));
  EXPECT_FALSE(etag_matches("\"3e8-abd\"", tag));
  EXPECT_FALSE(etag_matches("", tag));
}

TEST(Conditional, EntityTagListsMayHoldCommasInsideQuotes) {
  EXPECT_TRUE(etag_matches("\"a,b\", \"c\"", "\"c\""));
  EXPECT_TRUE(etag_matches("\"x\", \"a,b\"", "\"a,b\""));
  EXPECT_FALSE(etag_matches("\"a,b\"", "\"a\""));
  EXPECT_FALSE(etag_matches("\"a,b\"", "\"b\""));
}

TEST(Conditional, StrongComparisonRefusesWeakTags) {
  EXPECT_TRUE(etag_equals_strong("\"x\"", "\"x\""));
  EXPECT_TRUE(etag_equals_strong(" \"x\"", "\"x\""));
  EXPECT_FALSE(etag_equals_strong("W/\"x\"", "\"x\""));
  EXPECT_FALSE(etag_equals_strong("\"x\"", "W/\"x\""));
  EXPECT_FALSE(etag_equals_strong("W/\"x\"", "W/\"x\""));
  EXPECT_FALSE(etag_equals_strong("\"x\"", "\"y\""));
  EXPECT_FALSE(etag_equals_strong("x", "x"));
}

TEST(Conditional, EtagsChangeWithSizeAndTime) {
  EXPECT_EQ(make_etag(1000, 5), make_etag(1000, 5));
  EXPECT_NE(make_etag(1000, 5), make_etag(1001, 5));
  EXPECT_NE(make_etag(1000, 5), make_etag(1000, 6));
  auto tag = make_etag(1000, 5);
  EXPECT_EQ(tag.front(), '"');
  EXPECT_EQ(tag.back(), '"');
}

TEST(Conditional, DatesInAllThreeFormats) {
  EXPECT_EQ(http_date(kSunday), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), kSunday);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), kSunday);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), kSunday);
  EXPECT_EQ(parse_http_date("  Sun, 06 Nov 1994 08:49:37 GMT "), kSunday);
  for (auto bad : {"", "yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 GMT x",
                   "Sun, 32 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"})
    EXPECT_FALSE(parse_http_date(bad)) << bad;
}

// ---------------------------------------------------------------- 304

TEST(Conditional, NoConditionsSendsEverything) {
  EXPECT_EQ(select({}).kind, Selection::full);
  EXPECT_EQ(select({}, false).kind, Selection::full);
}

TEST(Conditional, IfNoneMatchAnswers304ForTheCurrentTag) {
  Conditions c;
  c.if_none_match = "W/\"3e8-abc\"";
  EXPECT_EQ(select(c).kind, Selection::not_modified);
  c.if_none_match = "\"3e8-old\"";
  EXPECT_EQ(select(c).kind, Selection::full);
}

TEST(Conditional, IfModifiedSinceCountsOnlyWithoutIfNoneMatch) {
  Conditions c;
  c.if_modified_since = http_date(kSunday);
  EXPECT_EQ(select(c).kind, Selection::not_modified);
  c.if_modified_since = http_date(kSunday + 10);
  EXPECT_EQ(select(c).kind, Selection::not_modified);
  c.if_modified_since = http_date(kSunday - 1);
  EXPECT_EQ(select(c).kind, Selection::full);
  c.if_modified_since = "not a date";
  EXPECT_EQ(select(c).kind, Selection::full);
  // A tag that does not match decides, whatever the date says.
  c.if_modified_since = http_date(kSunday + 10);
  c.if_none_match = "\"3e8-old\"";
  EXPECT_EQ(select(c).kind, Selection::full);
}

TEST(Conditional, NotModifiedWinsOverRange) {
  auto c = ranged("bytes=0-9");
  c.if_none_match = "\"3e8-abc\"";
  EXPECT_EQ(select(c).kind, Selection::not_modified);
}

// ---------------------------------------------------------------- ranges

TEST(Conditional, OneRangeIsPartial) {
  auto s = select(ranged("bytes=10-19"));
  ASSERT_EQ(s.kind, Selection::partial);
  EXPECT_EQ(s.range.start, 10u);
  EXPECT_EQ(s.range.length, 10u);
}

TEST(Conditional, RangesAreIgnoredWhereTheRouteRefusesThem) {
  EXPECT_EQ(select(ranged("bytes=10-19"), false).kind, Selection::full);
  EXPECT_EQ(select(ranged("bytes=5000-"), false).kind, Selection::full);
}

TEST(Conditional, SuffixRanges) {
  auto s = select(ranged("bytes=-100"));
  ASSERT_EQ(s.kind, Selection::partial);
  EXPECT_EQ(s.range.start, 900u);
  EXPECT_EQ(s.range.length, 100u);
  auto all = select(ranged("bytes=-5000"));  // longer than the file: all of it
  ASSERT_EQ(all.kind, Selection::partial);
  EXPECT_EQ(all.range.start, 0u);
  EXPECT_EQ(all.range.length, 1000u);
  EXPECT_EQ(select(ranged("bytes=-0")).kind, Selection::unsatisfiable);
}

TEST(Conditional, LastByteAndClampedEnd) {
  auto last = select(ranged("bytes=999-999"));
  ASSERT_EQ(last.kind, Selection::partial);
  EXPECT_EQ(last.range.start, 999u);
  EXPECT_EQ(last.range.length, 1u);
  auto clamped = select(ranged("bytes=990-99999"));
  ASSERT_EQ(clamped.kind, Selection::partial);
  EXPECT_EQ(clamped.range.length, 10u);
}

TEST(Conditional, OverlappingAndSeveralRangesGetEverything) {
  EXPECT_EQ(select(ranged("bytes=0-99,50-149")).kind, Selection::full);
  EXPECT_EQ(select(ranged("bytes=0-9,20-29")).kind, Selection::full);
  EXPECT_EQ(select(ranged("bytes=0-9,5000-")).kind, Selection::full);
}

TEST(Conditional, UnsatisfiableRanges) {
  EXPECT_EQ(select(ranged("bytes=1000-")).kind, Selection::unsatisfiable);
  EXPECT_EQ(select(ranged("bytes=4000-,5000-6000")).kind, Selection::unsatisfiable);
  Representation empty{0, "\"0-1\"", kSunday};
  EXPECT_EQ(select_response(ranged("bytes=0-0"), empty, true, an_hour_later()).kind, Selection::unsatisfiable);
  EXPECT_EQ(select_response(ranged("bytes=-1"), empty, true, an_hour_later()).kind, Selection::unsatisfiable);
}

TEST(Conditional, MalformedRangeGetsEverything) {
  for (auto h : {"bytes=5-1", "items=0-1", "bytes=abc", "bytes=", "bytes=1-2-3"})
    EXPECT_EQ(select(ranged(h)).kind, Selection::full) << h;
}

TEST(Conditional, IfRangeWithTheStrongTagKeepsTheRange) {
  EXPECT_EQ(select(ranged("bytes=0-9", "\"3e8-abc\"")).kind, Selection::partial);
}

TEST(Conditional, IfRangeMismatchSendsEverything) {
  EXPECT_EQ(select(ranged("bytes=0-9", "\"3e8-old\"")).kind, Selection::full);
  // A weak tag never validates a range, not even our own.
  EXPECT_EQ(select(ranged("bytes=0-9", "W/\"3e8-abc\"")).kind, Selection::full);
  EXPECT_EQ(select(ranged("bytes=0-9", "garbage")).kind, Selection::full);
  // Nor does a mismatch turn an unsatisfiable range into a 416.
  EXPECT_EQ(select(ranged("bytes=5000-", "\"3e8-old\"")).kind, Selection::full);
}

TEST(Conditional, IfRangeDateMustEqualAStrongLastModified) {
  EXPECT_EQ(select(ranged("bytes=0-9", http_date(kSunday))).kind, Selection::partial);
  EXPECT_EQ(select(ranged("bytes=0-9", http_date(kSunday + 1))).kind, Selection::full);
  EXPECT_EQ(select(ranged("bytes=0-9", http_date(kSunday - 1))).kind, Selection::full);
  // Modified within the current second: the date may hide a second change.
  EXPECT_EQ(select(ranged("bytes=0-9", http_date(kSunday)), true, kSunday).kind, Selection::full);
}

TEST(Conditional, IfRangeWithoutRangeIsIgnored) {
  Conditions c;
  c.if_range = "\"3e8-old\"";
  EXPECT_EQ(select(c).kind, Selection::full);
}

// ---------------------------------------------------------------- a real file

namespace {

struct TempFile {
  fs::path path = fs::temp_directory_path() / ("wp_cond_" + std::to_string(std::random_device{}()));
  explicit TempFile(std::size_t size) { std::ofstream(path, std::ios::binary) << std::string(size, 'x'); }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

Request get(Headers headers = {}) {
  Request req;
  req.method = "GET";
  req.headers = std::move(headers);
  return req;
}

Response base() {
  Response res;
  res.content_type = "video/mp4";
  res.set_header("Cache-Control", "private, max-age=60");
  return res;
}

}  // namespace

TEST(ServeFile, WholeFileWithValidators) {
  TempFile f(100);
  auto res = serve_file(get(), f.path, base(), Ranges::refused);
  EXPECT_EQ(res.status, 200);
  ASSERT_TRUE(res.file);
  EXPECT_EQ(res.file->offset, 0u);
  EXPECT_EQ(res.file->length, 100u);
  EXPECT_TRUE(res.header("ETag"));
  EXPECT_TRUE(parse_http_date(res.header("Last-Modified").value_or("")));
  EXPECT_EQ(res.header("Cache-Control"), "private, max-age=60");
  EXPECT_FALSE(res.header("Accept-Ranges"));
  // Ranges refused: the Range header changes nothing.
  auto ranged_res = serve_file(get({{"Range", "bytes=0-9"}}), f.path, base(), Ranges::refused);
  EXPECT_EQ(ranged_res.status, 200);
}

TEST(ServeFile, NotModifiedKeepsTheCallersHeadersAndSendsNoBody) {
  TempFile f(100);
  auto etag = serve_file(get(), f.path, base(), Ranges::accepted).header("ETag").value();
  auto res = serve_file(get({{"If-None-Match", etag}}), f.path, base(), Ranges::accepted);
  EXPECT_EQ(res.status, 304);
  EXPECT_FALSE(res.file);
  EXPECT_EQ(res.header("ETag"), etag);
  EXPECT_EQ(res.header("Cache-Control"), "private, max-age=60");
}

TEST(ServeFile, PartialAndUnsatisfiable) {
  TempFile f(100);
  auto part = serve_file(get({{"Range", "bytes=-10"}}), f.path, base(), Ranges::accepted);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.header("Accept-Ranges"), "bytes");
  EXPECT_EQ(part.header("Content-Range"), "bytes 90-99/100");
  ASSERT_TRUE(part.file);
  EXPECT_EQ(part.file->offset, 90u);
  EXPECT_EQ(part.file->length, 10u);
  EXPECT_EQ(part.content_type, "video/mp4");

  auto none = serve_file(get({{"Range", "bytes=100-"}}), f.path, base(), Ranges::accepted);
  EXPECT_EQ(none.status, 416);
  EXPECT_EQ(none.header("Content-Range"), "bytes */100");
  EXPECT_FALSE(none.file);
  EXPECT_TRUE(none.content_type.empty());
}

TEST(ServeFile, IfRangeMismatchSendsTheWholeFile) {
  TempFile f(100);
  auto res = serve_file(get({{"Range", "bytes=0-9"}, {"If-Range", "\"stale\""}}), f.path, base(), Ranges::accepted);
  EXPECT_EQ(res.status, 200);
  ASSERT_TRUE(res.file);
  EXPECT_EQ(res.file->length, 100u);
  EXPECT_FALSE(res.header("Content-Range"));
}

TEST(ServeFile, MissingFileIsNotFound) {
  try {
    serve_file(get(), "/nonexistent/wp/file", base(), Ranges::accepted);
    FAIL() << "no error";
  } catch (const wp::Error& e) {
    EXPECT_EQ(e.code(), wp::ErrorCode::not_found);
  }
  EXPECT_THROW(serve_file(get(), fs::temp_directory_path().string(), base(), Ranges::accepted), wp::Error);
}
