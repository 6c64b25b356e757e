#include "core/filetype.hpp"

#include <magic.h>

#include <memory>
#include <stdexcept>

namespace wp {

namespace {
// A magic cookie is not thread-safe; each blocking thread keeps its own.
magic_t cookie() {
  thread_local std::unique_ptr<std::remove_pointer_t<magic_t>, decltype(&magic_close)> c(nullptr, &magic_close);
  if (!c) {
    c.reset(magic_open(MAGIC_MIME_TYPE));
    if (!c || magic_load(c.get(), nullptr) != 0) throw std::runtime_error("libmagic database not available");
  }
  return c.get();
}
}  // namespace

std::string sniff_mime_type(const std::string& bytes) {
  const char* r = magic_buffer(cookie(), bytes.data(), bytes.size());
  return r ? r : "application/octet-stream";
}

std::string sniff_mime_type_of_file(const std::string& path) {
  const char* r = magic_file(cookie(), path.c_str());
  return r ? r : "application/octet-stream";
}

}  // namespace wp
