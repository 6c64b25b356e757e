#include "modules/videos/media.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/process.hpp"

namespace wp::videos {

namespace json = boost::json;

namespace {

int even(double v) { return std::max(2, static_cast<int>(std::lround(v / 2.0)) * 2); }

// Bitrate for a height, interpolated from a few anchors of common ladders.
int video_kbps_for(int height) {
  if (height <= 240) return 400;
  if (height <= 360) return 800;
  if (height <= 480) return 1400;
  if (height <= 720) return 2800;
  return 5000;
}

std::string level_for(int width, int height) {
  long long pixels = static_cast<long long>(width) * height;
  if (pixels <= 414720) return "3.0";    // up to 720x576
  if (pixels <= 921600) return "3.1";    // up to 1280x720
  return "4.0";                           // up to 2048x1080
}

std::string codecs_for(const std::string& level, bool audio) {
  // avc1.PPCCLL: Main profile (0x4d), constraint_set1 (0x40) as x264 writes for Main, level*10 in hex.
  int lv = static_cast<int>(std::lround(std::stod(level) * 10));
  char buf[32];
  std::snprintf(buf, sizeof buf, "avc1.4d40%02x", lv);
  std::string out = buf;
  if (audio) out += ",mp4a.40.2";
  return out;
}

double number_of(const json::value* v) {
  if (!v) return 0;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_string()) {
    auto& s = v->as_string();
    double out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    (void)p;
    return ec == std::errc{} ? out : 0;
  }
  return 0;
}

std::string string_of(const json::object& o, const char* key) {
  auto v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

double rate_of(const std::string& r) {
  auto slash = r.find('/');
  if (slash == std::string::npos) return std::atof(r.c_str());
  double num = std::atof(r.substr(0, slash).c_str()), den = std::atof(r.substr(slash + 1).c_str());
  return den > 0 ? num / den : 0;
}

ProcessOptions options_for(const MediaTools& tools, const StopCheck& stop) {
  ProcessOptions o;
  o.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(tools.timeout);
  o.should_stop = stop;
  return o;
}

void check(const ProcessResult& r, const std::string& step) {
  if (r.stopped) throw MediaError(step + " stopped");
  if (!r.ok()) throw MediaError(step + " failed: " + r.describe());
}

}  // namespace

std::vector<Rendition> choose_ladder(int source_width, int source_height, bool has_audio) {
  std::vector<int> heights;
  int top = std::min(source_height, 1080);
  for (int h : {360, 720})
    if (h <= top) heights.push_back(h);
  int own = top - (top % 2);
  if (own >= 2 && std::find(heights.begin(), heights.end(), own) == heights.end()) heights.push_back(own);
  std::sort(heights.begin(), heights.end());
  std::vector<Rendition> out;
  for (int h : heights) {
    Rendition r;
    r.height = h;
    r.width = source_height > 0 ? even(static_cast<double>(source_width) * h / source_height) : h * 16 / 9;
    r.name = std::to_string(h) + "p";
    r.video_kbps = video_kbps_for(h);
    r.audio_kbps = has_audio ? 128 : 0;
    r.level = level_for(r.width, r.height);
    r.codecs = codecs_for(r.level, has_audio);
    out.push_back(std::move(r));
  }
  return out;
}

std::string mime_type_of(const ProbeResult& p) {
  // format_name is a comma list of demuxer names that share one container.
  auto names = "," + p.format_name + ",";
  auto has = [&](const char* n) { return names.find("," + std::string(n) + ",") != std::string::npos; };
  if (has("mov") || has("mp4")) {
    if (p.major_brand.rfind("qt", 0) == 0) return "video/quicktime";
    if (p.major_brand.rfind("3g2", 0) == 0) return "video/3gpp2";
    if (p.major_brand.rfind("3g", 0) == 0) return "video/3gpp";
    return "video/mp4";
  }
  if (has("matroska") || has("webm")) {
    // WebM is the Matroska subset with only these codecs.
    bool web_video = p.video_codec == "vp8" || p.video_codec == "vp9" || p.video_codec == "av1";
    bool web_audio = !p.has_audio || p.audio_codec == "vorbis" || p.audio_codec == "opus";
    return web_video && web_audio ? "video/webm" : "video/x-matroska";
  }
  static const std::pair<const char*, const char*> simple[] = {
      {"mpegts", "video/mp2t"}, {"avi", "video/x-msvideo"},   {"flv", "video/x-flv"},  {"ogg", "video/ogg"},
      {"asf", "video/x-ms-asf"}, {"mpeg", "video/mpeg"},      {"mpegvideo", "video/mpeg"}, {"m4v", "video/x-m4v"},
      {"3gp", "video/3gpp"}};
  for (auto& [name, mime] : simple)
    if (has(name)) return mime;
  return "application/octet-stream";
}

ProbeResult parse_probe_json(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw std::runtime_error("ffprobe output is not JSON");
  ProbeResult p;
  auto& root = v.as_object();
  if (auto f = root.if_contains("format"); f && f->is_object()) {
    auto& fo = f->as_object();
    p.duration = number_of(fo.if_contains("duration"));
    p.size = static_cast<std::int64_t>(number_of(fo.if_contains("size")));
    p.bit_rate = static_cast<std::int64_t>(number_of(fo.if_contains("bit_rate")));
    p.format_name = string_of(fo, "format_name");
    if (auto t = fo.if_contains("tags"); t && t->is_object()) p.major_brand = string_of(t->as_object(), "major_brand");
  }
  if (auto s = root.if_contains("streams"); s && s->is_array()) {
    for (auto& st : s->as_array()) {
      if (!st.is_object()) continue;
      auto& so = st.as_object();
      auto type = string_of(so, "codec_type");
      bool attached = false;
      if (auto d = so.if_contains("disposition"); d && d->is_object())
        attached = number_of(d->as_object().if_contains("attached_pic")) != 0;
      if (type == "video" && !attached && !p.has_video) {
        p.has_video = true;
        p.video_codec = string_of(so, "codec_name");
        p.width = static_cast<int>(number_of(so.if_contains("width")));
        p.height = static_cast<int>(number_of(so.if_contains("height")));
        p.frame_rate = rate_of(string_of(so, "avg_frame_rate"));
        if (p.frame_rate <= 0) p.frame_rate = rate_of(string_of(so, "r_frame_rate"));
        if (p.duration <= 0) p.duration = number_of(so.if_contains("duration"));
      } else if (type == "audio" && !p.has_audio) {
        p.has_audio = true;
        p.audio_codec = string_of(so, "codec_name");
      }
    }
  }
  if (p.width <= 0 || p.height <= 0) p.has_video = false;
  return p;
}

std::optional<ProbeResult> probe(const MediaTools& tools, const std::string& path, const StopCheck& stop) {
  auto o = options_for(tools, stop);
  o.timeout = std::min(o.timeout, std::chrono::milliseconds(std::chrono::seconds(120)));
  o.collect_stdout = true;
  auto r = run_process({tools.ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path},
                       o);
  if (!r.ok()) return std::nullopt;
  try {
    return parse_probe_json(r.out);
  } catch (const std::runtime_error&) {
    return std::nullopt;
  }
}

void make_thumbnail(const MediaTools& tools, const std::string& src, const ProbeResult& p, const std::string& dest,
                    const StopCheck& stop) {
  double at = p.duration > 2 ? 1.0 : p.duration / 2;
  int h = std::min(p.height, 360);
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.3f", at);
  auto r = run_process({tools.ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-ss", ts, "-i", src,
                        "-frames:v", "1", "-vf", "scale=-2:" + std::to_string(h - h % 2), "-q:v", "3", "-f",
                        "image2", dest},
                       options_for(tools, stop));
  check(r, "thumbnail");
}

void make_rendition(const MediaTools& tools, const std::string& src, const ProbeResult& p, const Rendition& r,
                    const std::string& dir, const StopCheck& stop, const ProgressFn& progress) {
  std::vector<std::string> args = {tools.ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", src,
                                   "-map", "0:v:0"};
  if (p.has_audio) {
    args.insert(args.end(), {"-map", "0:a:0"});
  }
  auto kbps = std::to_string(r.video_kbps);
  args.insert(args.end(),
              {"-vf", "scale=" + std::to_string(r.width) + ":" + std::to_string(r.height), "-c:v", "libx264",
               "-preset", tools.preset, "-profile:v", "main", "-level:v", r.level, "-pix_fmt", "yuv420p", "-b:v",
               kbps + "k", "-maxrate", std::to_string(r.video_kbps * 107 / 100) + "k", "-bufsize",
               std::to_string(r.video_kbps * 3 / 2) + "k", "-sc_threshold", "0", "-force_key_frames",
               "expr:gte(t,n_forced*4)"});
  if (p.has_audio) {
    args.insert(args.end(), {"-c:a", "aac", "-b:a", std::to_string(r.audio_kbps) + "k", "-ac", "2"});
  }
  args.insert(args.end(), {"-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod", "-hls_segment_filename",
                           dir + "/" + r.name + "_%03d.ts", "-progress", "pipe:1", "-nostats",
                           dir + "/" + r.name + ".m3u8"});
  auto o = options_for(tools, stop);
  double total_us = p.duration * 1e6;
  o.on_line = [&](std::string_view line) {
    // -progress writes key=value lines; out_time_ms is in microseconds despite its name.
    constexpr std::string_view key = "out_time_ms=";
    if (!progress || total_us <= 0 || line.substr(0, key.size()) != key) return;
    long long us = 0;
    auto v = line.substr(key.size());
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), us);
    (void)ptr;
    if (ec == std::errc{} && us >= 0) progress(std::min(1.0, static_cast<double>(us) / total_us));
  };
  check(run_process(args, o), "rendition " + r.name);
}

std::string master_playlist(const std::vector<Rendition>& ladder) {
  std::string out = "#EXTM3U\n#EXT-X-VERSION:3\n";
  for (auto& r : ladder) {
    out += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(r.bandwidth()) +
           ",RESOLUTION=" + std::to_string(r.width) + "x" + std::to_string(r.height) + ",CODECS=\"" + r.codecs +
           "\"\n" + r.name + ".m3u8\n";
  }
  return out;
}

}  // namespace wp::videos
