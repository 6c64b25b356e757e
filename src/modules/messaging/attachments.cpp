// Attachments: upload checks, storage, thumbnails, access, orphan expiry
// (docs/api.md, "Messaging", attachments).
#include <spdlog/spdlog.h>

#include <filesystem>

#include "core/attachment_files.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/messaging/service.hpp"

namespace wp::messaging {

namespace fs = std::filesystem;

namespace {

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
  auto sniffed = check_attachment_type(staged_path);
  AttachmentRow a;
  a.id = new_uuid();
  a.uploader_id = me.id;
  a.filename = attachment_display_name(filename);
  a.mime_type = sniffed.mime_type;
  a.kind = sniffed.kind;
  a.size = static_cast<std::int64_t>(fs::file_size(staged_path));
  a.created_at = now_ms();
  auto dir = attachment_dir(settings_) + "/" + a.id;
  fs::create_directories(dir);
  fs::rename(staged_path, dir + "/original");
  if (a.kind == AttachmentKind::image)
    a.has_thumbnail = make_attachment_thumbnail(settings_.ffmpeg, dir + "/original", dir + "/thumbnail.jpg");
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
