#pragma once
// multipart/form-data read from a spooled body file in small chunks: the
// one file part is copied to a destination path as it is read, the text
// fields are returned. Memory use is bounded whatever the body size.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace wp::http {

struct SpooledFile {
  std::string filename;      // as the client sent it (never trusted for anything but display)
  std::string content_type;  // likewise
  std::uint64_t size = 0;
};

struct SpooledForm {
  std::map<std::string, std::string> fields;
  std::optional<SpooledFile> file;  // set when the file part was present
};

struct SpoolLimits {
  std::uint64_t max_file_bytes = std::uint64_t{1} << 40;
  std::size_t max_field_bytes = 64 * 1024;
  std::size_t max_fields = 64;
};

// The file part's staging path, removed when the handler is done (a handler
// that keeps the file moves it away first; removing nothing is fine).
struct StagedFile {
  std::string path;
  ~StagedFile();
};

// The boundary parameter of a multipart/form-data Content-Type, or nullopt.
std::optional<std::string> multipart_boundary(const std::string& content_type);

// Reads body_path. The part named file_field goes to dest_path (created or
// truncated). Throws wp::Error: 415 when content_type is not
// multipart/form-data, 400 for a malformed body or a second file part, 413
// when the file part exceeds max_file_bytes (dest_path is then removed).
SpooledForm read_multipart_file(const std::string& body_path, const std::string& content_type,
                                const std::string& file_field, const std::string& dest_path,
                                const SpoolLimits& limits = {});

}  // namespace wp::http
