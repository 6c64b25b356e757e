#include "http/file_response.hpp"

#include <sys/stat.h>

#include <ctime>

#include "core/error.hpp"
#include "http/range.hpp"

namespace wp::http {

Response serve_file(const Request& req, const std::string& path, Response res, Ranges ranges) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) throw_not_found("File not found.");
  Representation rep;
  rep.size = static_cast<std::uint64_t>(st.st_size);
  rep.etag = make_etag(rep.size, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
  rep.last_modified = st.st_mtim.tv_sec;
  res.set_header("ETag", rep.etag);
  res.set_header("Last-Modified", http_date(rep.last_modified));
  bool with_ranges = ranges == Ranges::accepted;
  if (with_ranges) res.set_header("Accept-Ranges", "bytes");

  Conditions asked{req.header("If-None-Match"), req.header("If-Modified-Since"), req.header("Range"),
                   req.header("If-Range")};
  auto chosen = select_response(asked, rep, with_ranges, std::time(nullptr));
  switch (chosen.kind) {
    case Selection::not_modified:
      res.status = 304;
      return res;
    case Selection::unsatisfiable:
      res.status = 416;
      res.content_type.clear();
      res.set_header("Content-Range", "bytes */" + std::to_string(rep.size));
      return res;
    case Selection::partial: {
      auto [start, length] = chosen.range;
      res.status = 206;
      res.file = FileBody{path, start, length};
      res.set_header("Content-Range", "bytes " + std::to_string(start) + "-" + std::to_string(start + length - 1) + "/" +
                                          std::to_string(rep.size));
      return res;
    }
    case Selection::full:
      break;
  }
  res.file = FileBody{path, 0, rep.size};
  return res;
}

Response serve_image(const Request& req, const std::optional<std::string>& path, const std::string& missing) {
  struct stat st {};
  if (!path || ::stat(path->c_str(), &st) != 0) throw_not_found(missing);
  Response res;
  auto ext = path->substr(path->rfind('.') + 1);
  res.content_type = ext == "png" ? "image/png" : ext == "jpg" ? "image/jpeg" : ext == "gif" ? "image/gif" : "image/webp";
  res.set_header("Cache-Control", "public, max-age=86400");
  res.set_header("X-Content-Type-Options", "nosniff");
  return serve_file(req, *path, std::move(res), Ranges::refused);
}

}  // namespace wp::http
