#pragma once
// ffprobe and ffmpeg as child processes: probing, thumbnails, HLS renditions
// and the master playlist. No database, no HTTP.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wp::videos {

struct ProbeResult {
  bool has_video = false;
  bool has_audio = false;
  double duration = 0;  // seconds
  int width = 0;
  int height = 0;
  std::string video_codec;
  std::string audio_codec;
  std::string format_name;  // ffprobe's list, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  std::string major_brand;  // ISO BMFF brand from the format tags ("qt  " for QuickTime)
  std::int64_t size = 0;
  std::int64_t bit_rate = 0;
  double frame_rate = 0;
};

struct Rendition {
  std::string name;  // "360p"
  int width = 0;
  int height = 0;
  int video_kbps = 0;
  int audio_kbps = 0;     // 0 without audio
  std::string level;      // H.264 level for -level and CODECS, e.g. "3.1"
  std::string codecs;     // RFC 6381, e.g. "avc1.4d401f,mp4a.40.2"
  int bandwidth() const { return (video_kbps + audio_kbps) * 1100; }  // bits/s with ~10% container overhead
};

// The ladder for a source: 360p and 720p when the source reaches them, plus
// the source height itself when it differs and is at most 1080 (1080 caps
// taller sources). Never upscales; a source below 360p gets one rung at its
// own height. Heights and widths are even.
std::vector<Rendition> choose_ladder(int source_width, int source_height, bool has_audio);

// The MIME type of a probed file from its container: for when libmagic only
// sees bytes. application/octet-stream for a container not listed.
std::string mime_type_of(const ProbeResult& p);

// Parses ffprobe's -print_format json output. Throws std::runtime_error when it is not JSON.
ProbeResult parse_probe_json(const std::string& json_text);

struct MediaTools {
  std::string ffmpeg = "ffmpeg";
  std::string ffprobe = "ffprobe";
  std::chrono::seconds timeout{3600};
  std::string preset = "veryfast";
};

// Polled while a child runs: true kills it (lease lost, shutdown).
using StopCheck = std::function<bool()>;

// nullopt when ffprobe cannot read the file at all (or `stop` said so).
std::optional<ProbeResult> probe(const MediaTools& tools, const std::string& path, const StopCheck& stop = nullptr);

// Failure of a processing step: the message is what the job keeps as its error.
struct MediaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// fraction in [0, 1] of the current step
using ProgressFn = std::function<void(double fraction)>;

void make_thumbnail(const MediaTools& tools, const std::string& src, const ProbeResult& p, const std::string& dest,
                    const StopCheck& stop);
// Writes <dir>/<name>.m3u8 and <dir>/<name>_NNN.ts.
void make_rendition(const MediaTools& tools, const std::string& src, const ProbeResult& p, const Rendition& r,
                    const std::string& dir, const StopCheck& stop, const ProgressFn& progress);
std::string master_playlist(const std::vector<Rendition>& ladder);

}  // namespace wp::videos
