#pragma once
// The HTTP side of a user's attachment, the same in every module that takes
// them (messaging, support): its upload as the `file` part of a multipart
// form, and its download with the headers that keep it from being run as a page.
#include <cstdint>
#include <string>

#include "core/attachment_files.hpp"
#include "http/message.hpp"

namespace wp::http {

// Stages the request's `file` part at `staged_path` and returns the name the client gave it.
// 400 when there is none, 413 past max_bytes, 415 when the body is no multipart form.
std::string receive_attachment(const Request& req, const std::string& staged_path, std::int64_t max_bytes);

// The attachment's file at `path`, or its thumbnail: pictures and videos shown inline, any
// other file saved under its name; private caching, no sniffing, byte ranges.
Response attachment_download(const Request& req, const std::string& path, bool thumbnail,
                             const std::string& mime_type, const std::string& filename, AttachmentKind kind);

}  // namespace wp::http
