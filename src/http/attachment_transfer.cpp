#include "http/attachment_transfer.hpp"

#include "core/error.hpp"
#include "http/file_response.hpp"
#include "http/multipart_file.hpp"

namespace wp::http {

std::string receive_attachment(const Request& req, const std::string& staged_path, std::int64_t max_bytes) {
  SpoolLimits limits;
  limits.max_file_bytes = static_cast<std::uint64_t>(max_bytes);
  auto form = read_multipart_file(req.body_file, req.header("Content-Type").value_or(""), "file", staged_path, limits);
  if (!form.file) throw_validation("file", "This field is required.");
  return form.file->filename;
}

Response attachment_download(const Request& req, const std::string& path, bool thumbnail,
                             const std::string& mime_type, const std::string& filename, AttachmentKind kind) {
  Response res;
  res.content_type = thumbnail ? "image/jpeg" : mime_type;
  res.set_header("Cache-Control", "private, max-age=3600");
  res.set_header("X-Content-Type-Options", "nosniff");
  bool shown = thumbnail || kind != AttachmentKind::file;
  res.set_header("Content-Disposition", std::string(shown ? "inline" : "attachment") + "; filename=\"" +
                                            (thumbnail ? "thumbnail.jpg" : filename) + "\"");
  return serve_file(req, path, std::move(res), Ranges::accepted);
}

}  // namespace wp::http
