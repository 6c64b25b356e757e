// Range parsing, validators, the streaming multipart reader, the HLS ladder
// and ffprobe output parsing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/error.hpp"
#include "http/multipart_file.hpp"
#include "http/range.hpp"
#include "modules/videos/media.hpp"
#include "support/error_code.hpp"

using namespace wp::http;
namespace fs = std::filesystem;

// ---------------------------------------------------------------- ranges

TEST(RangeParser, SingleClosedRange) {
  auto r = parse_range("bytes=0-99", 1000);
  ASSERT_EQ(r.kind, RangeRequest::single);
  EXPECT_EQ(r.range.start, 0u);
  EXPECT_EQ(r.range.length, 100u);
}

TEST(RangeParser, SuffixAndOpenEnded) {
  auto s = parse_range("bytes=-500", 1000);
  ASSERT_EQ(s.kind, RangeRequest::single);
  EXPECT_EQ(s.range.start, 500u);
  EXPECT_EQ(s.range.length, 500u);
  auto big = parse_range("bytes=-5000", 1000);
  ASSERT_EQ(big.kind, RangeRequest::single);
  EXPECT_EQ(big.range.start, 0u);
  EXPECT_EQ(big.range.length, 1000u);
  auto o = parse_range("bytes=100-", 1000);
  ASSERT_EQ(o.kind, RangeRequest::single);
  EXPECT_EQ(o.range.start, 100u);
  EXPECT_EQ(o.range.length, 900u);
}

TEST(RangeParser, EndIsClampedToSize) {
  auto r = parse_range("bytes=990-5000", 1000);
  ASSERT_EQ(r.kind, RangeRequest::single);
  EXPECT_EQ(r.range.start, 990u);
  EXPECT_EQ(r.range.length, 10u);
}

TEST(RangeParser, Unsatisfiable) {
  EXPECT_EQ(parse_range("bytes=1000-", 1000).kind, RangeRequest::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=5000-6000", 1000).kind, RangeRequest::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 1000).kind, RangeRequest::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-0", 0).kind, RangeRequest::unsatisfiable);
}

TEST(RangeParser, MalformedIsIgnored) {
  for (auto h : {"", "bytes", "bytes=", "bytes=abc", "bytes=5-1", "items=0-1", "bytes=1-2-3", "bytes=--5",
                 "bytes=99999999999999999999-"})
    EXPECT_EQ(parse_range(h, 1000).kind, RangeRequest::none) << h;
}

TEST(RangeParser, MultipleRanges) {
  EXPECT_EQ(parse_range("bytes=0-9,20-29", 1000).kind, RangeRequest::multiple);
  EXPECT_EQ(parse_range("bytes=0-9, -5", 1000).kind, RangeRequest::multiple);
  // Only one of several is satisfiable: still several were asked for.
  EXPECT_EQ(parse_range("bytes=0-9,5000-", 1000).kind, RangeRequest::multiple);
  EXPECT_EQ(parse_range("bytes=4000-,5000-", 1000).kind, RangeRequest::unsatisfiable);
}

TEST(RangeParser, CaseAndSpaces) {
  auto r = parse_range("  Bytes= 10 - 19 ", 1000);
  ASSERT_EQ(r.kind, RangeRequest::single);
  EXPECT_EQ(r.range.start, 10u);
  EXPECT_EQ(r.range.length, 10u);
}

TEST(Validators, EtagMatching) {
  auto tag = make_etag(1234, 99);
  EXPECT_TRUE(etag_matches(tag, tag));
  EXPECT_TRUE(etag_matches("\"x\", " + tag, tag));
  EXPECT_TRUE(etag_matches("W/" + tag, tag));
  EXPECT_TRUE(etag_matches("*", tag));
  EXPECT_FALSE(etag_matches("\"x\"", tag));
  EXPECT_FALSE(etag_matches("", tag));
}

TEST(Validators, HttpDateRoundTrip) {
  auto text = http_date(784111777);
  EXPECT_EQ(text, "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date(text), 784111777);
  EXPECT_FALSE(parse_http_date("yesterday"));
}

// ---------------------------------------------------------------- multipart

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("wp_mp_" + std::to_string(std::random_device{}()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

std::string part(const std::string& boundary, const std::string& headers, const std::string& data) {
  return "--" + boundary + "\r\n" + headers + "\r\n\r\n" + data + "\r\n";
}

}  // namespace

TEST(MultipartFile, FieldsAndFile) {
  TempDir dir;
  std::string b = "XyZ123";
  std::string body = "preamble\r\n" + part(b, "Content-Disposition: form-data; name=\"title\"", "Hello") +
                     part(b, "Content-Disposition: form-data; name=\"file\"; filename=\"a b.mp4\"\r\nContent-Type: video/mp4",
                          std::string("\x00\x01\r\n--Xy\r\n", 10)) +
                     part(b, "Content-Disposition: form-data; name=\"is_public\"", "false") + "--" + b + "--\r\n";
  write(dir.path / "body", body);
  auto form = read_multipart_file((dir.path / "body").string(), "multipart/form-data; boundary=" + b, "file",
                                  (dir.path / "out").string());
  ASSERT_TRUE(form.file);
  EXPECT_EQ(form.file->filename, "a b.mp4");
  EXPECT_EQ(form.file->content_type, "video/mp4");
  EXPECT_EQ(form.file->size, 10u);
  EXPECT_EQ(slurp(dir.path / "out"), std::string("\x00\x01\r\n--Xy\r\n", 10));
  EXPECT_EQ(form.fields.at("title"), "Hello");
  EXPECT_EQ(form.fields.at("is_public"), "false");
}

TEST(MultipartFile, LargeFileAcrossChunkBoundaries) {
  TempDir dir;
  std::string b = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
  // Several MiB with near-miss delimiters placed around the 64 KiB read size.
  std::string data;
  std::mt19937 rng(7);
  while (data.size() < 3 * 1024 * 1024) {
    data.push_back(static_cast<char>(rng() & 0xff));
    if (data.size() % 65521 == 0) data += "\r\n--" + b.substr(0, b.size() - 1);
  }
  std::string body = part(b, "Content-Disposition: form-data; name=\"file\"; filename=\"x\"", data) + "--" + b + "--";
  write(dir.path / "body", body);
  auto form = read_multipart_file((dir.path / "body").string(), "multipart/form-data; boundary=\"" + b + "\"", "file",
                                  (dir.path / "out").string());
  ASSERT_TRUE(form.file);
  EXPECT_EQ(form.file->size, data.size());
  EXPECT_TRUE(slurp(dir.path / "out") == data);
}

TEST(MultipartFile, Errors) {
  TempDir dir;
  std::string b = "bnd";
  auto run = [&](const std::string& body, const std::string& ct, std::uint64_t max = 1 << 20) {
    write(dir.path / "body", body);
    SpoolLimits limits;
    limits.max_file_bytes = max;
    return read_multipart_file((dir.path / "body").string(), ct, "file", (dir.path / "out").string(), limits);
  };
  auto ct = "multipart/form-data; boundary=" + b;
  EXPECT_EQ(wp::testkit::error_code_of([&] { run("x", "application/json"); }), wp::ErrorCode::unsupported_media);
  EXPECT_EQ(wp::testkit::error_code_of([&] { run("no boundary here", ct); }), wp::ErrorCode::validation);
  EXPECT_EQ(wp::testkit::error_code_of([&] { run("--bnd\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", ct); }),
            wp::ErrorCode::validation);  // truncated
  std::string big = part(b, "Content-Disposition: form-data; name=\"file\"; filename=\"x\"", std::string(5000, 'a')) +
                    "--bnd--";
  EXPECT_EQ(wp::testkit::error_code_of([&] { run(big, ct, 4000); }), wp::ErrorCode::payload_too_large);
  EXPECT_FALSE(fs::exists(dir.path / "out")) << "a refused file leaves nothing behind";
  std::string twice = part(b, "Content-Disposition: form-data; name=\"file\"", "a") +
                      part(b, "Content-Disposition: form-data; name=\"file\"", "b") + "--bnd--";
  EXPECT_EQ(wp::testkit::error_code_of([&] { run(twice, ct); }), wp::ErrorCode::validation);
  // No file part at all is not an error here: the caller decides.
  auto form = run(part(b, "Content-Disposition: form-data; name=\"title\"", "t") + "--bnd--", ct);
  EXPECT_FALSE(form.file);
}

TEST(MultipartFile, BoundaryParameter) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; boundary=z"), "z");
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("text/plain; boundary=abc"));
}

// ---------------------------------------------------------------- ladder

namespace {
std::vector<int> heights(int w, int h) {
  std::vector<int> out;
  for (auto& r : wp::videos::choose_ladder(w, h, true)) out.push_back(r.height);
  return out;
}
}  // namespace

TEST(HlsLadder, NeverUpscales) {
  EXPECT_EQ(heights(640, 360), (std::vector<int>{360}));
  EXPECT_EQ(heights(1280, 720), (std::vector<int>{360, 720}));
  EXPECT_EQ(heights(1920, 1080), (std::vector<int>{360, 720, 1080}));
  EXPECT_EQ(heights(854, 480), (std::vector<int>{360, 480}));
  EXPECT_EQ(heights(3840, 2160), (std::vector<int>{360, 720, 1080}));
  EXPECT_EQ(heights(320, 240), (std::vector<int>{240}));
  EXPECT_EQ(heights(1000, 563), (std::vector<int>{360, 562}));  // odd heights become even
}

TEST(HlsLadder, WidthsKeepAspectAndCodecs) {
  auto ladder = wp::videos::choose_ladder(1920, 1080, true);
  ASSERT_EQ(ladder.size(), 3u);
  EXPECT_EQ(ladder[0].width, 640);
  EXPECT_EQ(ladder[1].width, 1280);
  EXPECT_EQ(ladder[0].codecs, "avc1.4d401e,mp4a.40.2");
  EXPECT_EQ(ladder[1].codecs, "avc1.4d401f,mp4a.40.2");
  EXPECT_EQ(ladder[2].codecs, "avc1.4d4028,mp4a.40.2");
  EXPECT_LT(ladder[0].bandwidth(), ladder[1].bandwidth());
  auto silent = wp::videos::choose_ladder(1280, 720, false);
  EXPECT_EQ(silent[0].codecs, "avc1.4d401e");
  auto portrait = wp::videos::choose_ladder(720, 1280, false);
  EXPECT_EQ(portrait.back().height, 1080);
  EXPECT_EQ(portrait.back().width, 608);
  auto master = wp::videos::master_playlist(ladder);
  EXPECT_NE(master.find("#EXT-X-STREAM-INF:BANDWIDTH="), std::string::npos);
  EXPECT_NE(master.find("RESOLUTION=1920x1080,CODECS=\"avc1.4d4028,mp4a.40.2\"\n1080p.m3u8"), std::string::npos);
}

TEST(Probe, ParsesFfprobeJson) {
  auto p = wp::videos::parse_probe_json(R"({"streams":[
    {"codec_type":"video","codec_name":"mjpeg","width":300,"height":300,"disposition":{"attached_pic":1}},
    {"codec_type":"video","codec_name":"h264","width":640,"height":360,"avg_frame_rate":"25/1"},
    {"codec_type":"audio","codec_name":"aac"}],
    "format":{"duration":"6.000000","size":"95696","bit_rate":"127594","format_name":"mov,mp4"}})");
  EXPECT_TRUE(p.has_video);
  EXPECT_TRUE(p.has_audio);
  EXPECT_EQ(p.video_codec, "h264");
  EXPECT_EQ(p.width, 640);
  EXPECT_DOUBLE_EQ(p.duration, 6.0);
  EXPECT_DOUBLE_EQ(p.frame_rate, 25.0);
  EXPECT_EQ(p.size, 95696);
  auto audio_only = wp::videos::parse_probe_json(R"({"streams":[{"codec_type":"audio","codec_name":"mp3"},
    {"codec_type":"video","codec_name":"png","width":1,"height":1,"disposition":{"attached_pic":1}}],"format":{}})");
  EXPECT_FALSE(audio_only.has_video);
  EXPECT_THROW(wp::videos::parse_probe_json("not json"), std::runtime_error);
}

TEST(Probe, MimeTypeFromTheContainer) {
  using wp::videos::mime_type_of;
  auto probed = [](const char* format, const char* brand, const char* vcodec, const char* acodec) {
    wp::videos::ProbeResult p;
    p.has_video = true;
    p.format_name = format;
    p.major_brand = brand;
    p.video_codec = vcodec;
    p.has_audio = *acodec != '\0';
    p.audio_codec = acodec;
    return p;
  };
  EXPECT_EQ(mime_type_of(probed("mov,mp4,m4a,3gp,3g2,mj2", "isom", "h264", "aac")), "video/mp4");
  EXPECT_EQ(mime_type_of(probed("mov,mp4,m4a,3gp,3g2,mj2", "qt  ", "h264", "aac")), "video/quicktime");
  EXPECT_EQ(mime_type_of(probed("mov,mp4,m4a,3gp,3g2,mj2", "3gp5", "h263", "")), "video/3gpp");
  EXPECT_EQ(mime_type_of(probed("matroska,webm", "", "vp9", "opus")), "video/webm");
  EXPECT_EQ(mime_type_of(probed("matroska,webm", "", "vp8", "")), "video/webm");
  EXPECT_EQ(mime_type_of(probed("matroska,webm", "", "h264", "aac")), "video/x-matroska");
  EXPECT_EQ(mime_type_of(probed("matroska,webm", "", "vp9", "aac")), "video/x-matroska");
  EXPECT_EQ(mime_type_of(probed("mpegts", "", "h264", "aac")), "video/mp2t");
  EXPECT_EQ(mime_type_of(probed("avi", "", "mpeg4", "mp3")), "video/x-msvideo");
  EXPECT_EQ(mime_type_of(probed("flv", "", "h264", "aac")), "video/x-flv");
  EXPECT_EQ(mime_type_of(probed("mpeg", "", "mpeg2video", "mp2")), "video/mpeg");
  EXPECT_EQ(mime_type_of(probed("ogg", "", "theora", "vorbis")), "video/ogg");
  EXPECT_EQ(mime_type_of(probed("asf", "", "wmv2", "wmav2")), "video/x-ms-asf");
  EXPECT_EQ(mime_type_of(probed("yuv4mpegpipe", "", "rawvideo", "")), "application/octet-stream");
  // Exact demuxer names: "mpegts" is not "mpeg", "mpegtsraw" is neither.
  EXPECT_EQ(mime_type_of(probed("mpegtsraw", "", "h264", "")), "application/octet-stream");
}

TEST(Probe, ReadsTheMajorBrand) {
  auto p = wp::videos::parse_probe_json(R"({"streams":[{"codec_type":"video","codec_name":"h264","width":2,"height":2}],
    "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","tags":{"major_brand":"qt  "}}})");
  EXPECT_EQ(p.major_brand, "qt  ");
  EXPECT_EQ(wp::videos::mime_type_of(p), "video/quicktime");
}
