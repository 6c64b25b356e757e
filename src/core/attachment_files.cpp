#include "core/attachment_files.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/filetype.hpp"
#include "core/ids.hpp"
#include "core/process.hpp"

namespace wp {

namespace fs = std::filesystem;

namespace {

// The allow-list: a sniffed MIME type and what kind of attachment it makes.
const std::map<std::string, AttachmentKind>& allowed_types() {
  static const std::map<std::string, AttachmentKind> types{
      {"image/png", AttachmentKind::image},       {"image/jpeg", AttachmentKind::image},
      {"image/gif", AttachmentKind::image},       {"image/webp", AttachmentKind::image},
      {"video/mp4", AttachmentKind::video},       {"video/webm", AttachmentKind::video},
      {"video/quicktime", AttachmentKind::video}, {"application/pdf", AttachmentKind::file},
      {"text/plain", AttachmentKind::file},
  };
  return types;
}

constexpr std::size_t kMaxFilename = 200;

struct SniffedAttachment {
  std::string mime_type;
  AttachmentKind kind = AttachmentKind::file;
};

// The sniffed type of the file at `path` and its kind; unsupported_media (415)
// naming the detected type when it is not on the allow-list.
SniffedAttachment check_attachment_type(const std::string& path) {
  auto mime = sniff_mime_type_of_file(path);
  auto kind = allowed_types().find(mime);
  if (kind == allowed_types().end())
    throw Error(ErrorCode::unsupported_media, "This type of file cannot be sent (detected " + mime + ").");
  return {mime, kind->second};
}

// The name shown for a file: its last path part, printable, bounded ("file" when nothing is left).
std::string attachment_display_name(const std::string& given) {
  std::string base = fs::path(given).filename().string(), out;
  for (char c : base)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f && c != '"' && c != '\\') out.push_back(c);
  if (out.size() > kMaxFilename) out.resize(kMaxFilename);
  return out.empty() || out == "." || out == ".." ? "file" : out;
}

// Writes a JPEG thumbnail (at most 320 px wide) of the image at `original`
// to `thumbnail` with ffmpeg; false (logged) when it cannot be made.
bool make_attachment_thumbnail(const std::string& ffmpeg, const std::string& original, const std::string& thumbnail) {
  ProcessOptions o;
  o.timeout = std::chrono::seconds(30);
  auto r = run_process({ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", original, "-frames:v",
                        "1", "-vf", "scale='min(320,iw)':-2", "-q:v", "4", "-f", "image2", thumbnail},
                       o);
  bool made = r.ok() && fs::exists(thumbnail);
  if (!made) spdlog::info("attachment {}: no thumbnail ({})", original, r.describe());
  return made;
}

}  // namespace

FiledAttachment file_attachment(const std::string& root, const std::string& ffmpeg, const std::string& staged,
                                const std::string& filename) {
  auto sniffed = check_attachment_type(staged);
  FiledAttachment f;
  f.id = new_uuid();
  f.filename = attachment_display_name(filename);
  f.mime_type = sniffed.mime_type;
  f.kind = sniffed.kind;
  f.size = static_cast<std::int64_t>(fs::file_size(staged));
  f.created_at = now_ms();
  auto dir = root + "/" + f.id;
  fs::create_directories(dir);
  fs::rename(staged, dir + "/original");
  if (f.kind == AttachmentKind::image)
    f.has_thumbnail = make_attachment_thumbnail(ffmpeg, dir + "/original", dir + "/thumbnail.jpg");
  return f;
}

std::string attachment_path(const std::string& root, const std::string& id, bool thumbnail) {
  return root + "/" + id + (thumbnail ? "/thumbnail.jpg" : "/original");
}

void remove_attachment_files(const std::string& root, const std::string& id) {
  std::error_code ec;
  fs::remove_all(root + "/" + id, ec);
  if (ec) spdlog::warn("attachment {}: cannot remove its files: {}", id, ec.message());
}

}  // namespace wp
