#pragma once
// A user's uploaded attachment, filed the same way by every module that
// takes one (messaging, support): which sniffed types are allowed and what
// kind each makes, the name shown for it, and its image thumbnail. The bytes
// decide, never the client's name or type.
#include <cstdint>
#include <string>

#include "core/enum_names.hpp"
#include "core/error.hpp"

namespace wp {

enum class AttachmentKind { image, video, file };

// An upload filed under a module's folder of attachments: `<root>/<id>/original`, and for
// an image `thumbnail.jpg` beside it when one could be made.
struct FiledAttachment {
  std::string id, filename, mime_type;
  AttachmentKind kind = AttachmentKind::file;
  std::int64_t size = 0;
  bool has_thumbnail = false;
  std::int64_t created_at = 0;
};

// Checks the staged upload's type (415 when refused) and moves it under `root` with a new id.
FiledAttachment file_attachment(const std::string& root, const std::string& ffmpeg, const std::string& staged,
                                const std::string& filename);

// The path of a filed attachment's original, or of its thumbnail.
std::string attachment_path(const std::string& root, const std::string& id, bool thumbnail);

// Removes a filed attachment's folder (logged when it cannot be).
void remove_attachment_files(const std::string& root, const std::string& id);

// Files the upload into `row` (a module's attachment row, which has the file's fields) and
// records the row with `insert(row)`; when that fails, the files go again.
template <class Row, class Insert>
void file_and_record_attachment(Row& row, const std::string& root, const std::string& ffmpeg,
                                const std::string& staged, const std::string& filename, Insert&& insert) {
  auto f = file_attachment(root, ffmpeg, staged, filename);
  row.id = f.id;
  row.filename = f.filename;
  row.mime_type = f.mime_type;
  row.kind = f.kind;
  row.size = f.size;
  row.has_thumbnail = f.has_thumbnail;
  row.created_at = f.created_at;
  try {
    insert(row);
  } catch (const Error&) {
    remove_attachment_files(root, f.id);
    throw;
  }
}

}  // namespace wp

WP_ENUM_NAMES(wp::AttachmentKind, {wp::AttachmentKind::image, "image"}, {wp::AttachmentKind::video, "video"},
              {wp::AttachmentKind::file, "file"});
