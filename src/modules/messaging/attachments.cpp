// Attachments: upload checks, storage, thumbnails, access, orphan expiry
// (docs/api.md, "Messaging", attachments).
#include <spdlog/spdlog.h>

#include "core/attachment_files.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/messaging/service.hpp"

namespace wp::messaging {

namespace {

std::string attachment_dir(const Settings& settings) { return settings.data_dir + "/attachments"; }

}  // namespace

void remove_attachment_files(const Settings& settings, const std::vector<AttachmentRow>& gone) {
  for (auto& a : gone) wp::remove_attachment_files(attachment_dir(settings), a.id);
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
  AttachmentRow a;
  a.uploader_id = me.id;
  file_and_record_attachment(a, attachment_dir(settings_), settings_.ffmpeg, staged_path, filename,
                             [&](const AttachmentRow& row) { store_.insert_attachment(row); });
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
  return {*a, attachment_path(attachment_dir(settings_), a->id, thumbnail)};
}

int MessagingService::expire_orphans() { return expire_orphan_attachments(store_, settings_); }

}  // namespace wp::messaging
