#pragma once
// The rules of a user's uploaded attachment, shared by every module that
// takes one (messaging, support): which sniffed types are allowed and what
// kind each makes, the name shown for it, and its image thumbnail. The bytes
// decide, never the client's name or type.
#include <cstdint>
#include <string>

#include "core/enum_names.hpp"

namespace wp {

enum class AttachmentKind { image, video, file };

struct SniffedAttachment {
  std::string mime_type;
  AttachmentKind kind = AttachmentKind::file;
};

// The sniffed type of the file at `path` and its kind; unsupported_media (415)
// naming the detected type when it is not on the allow-list.
SniffedAttachment check_attachment_type(const std::string& path);

// The name shown for a file: its last path part, printable, bounded ("file" when nothing is left).
std::string attachment_display_name(const std::string& given);

// Writes a JPEG thumbnail (at most 320 px wide) of the image at `original`
// to `thumbnail` with ffmpeg; false (logged) when it cannot be made.
bool make_attachment_thumbnail(const std::string& ffmpeg, const std::string& original, const std::string& thumbnail);

}  // namespace wp

WP_ENUM_NAMES(wp::AttachmentKind, {wp::AttachmentKind::image, "image"}, {wp::AttachmentKind::video, "video"},
              {wp::AttachmentKind::file, "file"});
