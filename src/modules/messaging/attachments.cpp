// Attachments: upload checks, storage, thumbnails, access, orphan expiry
// (docs/api.md, "Messaging", attachments).
#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/filetype.hpp"
#include "core/ids.hpp"
#include "core/process.hpp"
#include "modules/messaging/service.hpp"

namespace wp::messaging {

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

// The name shown for a file: its last path part, printable, bounded.
std::string display_name(const std::string& given) {
  std::string base = fs::path(given).filename().string(), out;
  for (char c : base)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f && c != '"' && c != '\\') out.push_back(c);
  if (out.size() > kMaxFilename) out.resize(kMaxFilename);
  return out.empty() || out == "." || out == ".." ? "file" : out;
}

std::string attachment_dir(const Settings& settings) { return settings.data_dir + "/attachments"; }

}  // namespace

void remove_attachment_files(const Settings& settings, const std::vector<AttachmentRow>& gone) {
  for (auto& a : gone) {
    std::error_code ec;
    fs::remove_all(attachment_dir(settings) + "/" + a.id, ec);
    if (ec) spdlog::warn("attachment {}: cannot remove its files: {}", a.id, ec.message());
  }
}

int expire_orphan_attachments(Store& store, const Settings& settings) {
  int n = 0;
  for (auto& a : store.orphans(now_ms() - settings.attachment_ttl_ms)) {
    // A send that claimed it meanwhile keeps it.
    if (!store.delete_orphan(a.id)) continue;
    remove_attachment_files(settings, {a});
    ++n;
  }
  if (n > 0) spdlog::info("messaging: {} unsent attachment(s) expired", n);
  return n;
}

std::string MessagingService::staging_path() const {
  return settings_.data_dir + "/tmp/attachment-" + new_uuid() + ".part";
}

AttachmentRow MessagingService::upload(const Principal& me, const std::string& staged_path,
                                       const std::string& filename) {
  auto mime = sniff_mime_type_of_file(staged_path);
  auto kind = allowed_types().find(mime);
  if (kind == allowed_types().end())
    throw Error(ErrorCode::unsupported_media, "This type of file cannot be sent (detected " + mime + ").");
  AttachmentRow a;
  a.id = new_uuid();
  a.uploader_id = me.id;
  a.filename = display_name(filename);
  a.mime_type = mime;
  a.kind = kind->second;
  a.size = static_cast<std::int64_t>(fs::file_size(staged_path));
  a.created_at = now_ms();
  auto dir = attachment_dir(settings_) + "/" + a.id;
  fs::create_directories(dir);
  fs::rename(staged_path, dir + "/original");
  if (a.kind == AttachmentKind::image) {
    ProcessOptions o;
    o.timeout = std::chrono::seconds(30);
    auto r = run_process({settings_.ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i",
                          dir + "/original", "-frames:v", "1", "-vf", "scale='min(320,iw)':-2", "-q:v", "4", "-f",
                          "image2", dir + "/thumbnail.jpg"},
                         o);
    a.has_thumbnail = r.ok() && fs::exists(dir + "/thumbnail.jpg");
    if (!a.has_thumbnail) spdlog::info("attachment {}: no thumbnail ({})", a.id, r.describe());
  }
  try {
    store_.insert_attachment(a);
  } catch (const Error&) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    throw;
  }
  return a;
}

std::pair<AttachmentRow, std::string> MessagingService::attachment_file(const Principal& me, const std::string& id,
                                                                        bool thumbnail) {
  auto a = store_.attachment(id);
  if (!a) throw_not_found("No such attachment.");
  if (a->conversation_id)
    membership(me, *a->conversation_id);
  else if (a->uploader_id != me.id)
    throw_not_found("No such attachment.");
  if (thumbnail && !a->has_thumbnail) throw_not_found("This attachment has no thumbnail.");
  return {*a, attachment_dir(settings_) + "/" + a->id + (thumbnail ? "/thumbnail.jpg" : "/original")};
}

int MessagingService::expire_orphans() { return expire_orphan_attachments(store_, settings_); }

}  // namespace wp::messaging
