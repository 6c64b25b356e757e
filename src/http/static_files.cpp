#include "http/static_files.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "http/accept_encoding.hpp"
#include "http/file_response.hpp"

namespace wp::http {

namespace fs = std::filesystem;

namespace {

std::string content_type_for(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".webp") return "image/webp";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".wasm") return "application/wasm";
  return "application/octet-stream";
}

}  // namespace

Route static_files_route(std::string root_dir) {
  Route r;
  r.method = "GET";
  r.pattern = "/{path:path}";
  r.summary = "The web client (static files; unknown paths get index.html)";
  r.access = Access::anonymous;
  r.tag = "web";
  r.handler = [root = std::move(root_dir)](Request& req) -> Response {
    const std::string& path = req.param("path");
    if (path.rfind("/api/", 0) == 0 || path.rfind("/ws/", 0) == 0 || path == "/api" || path == "/metrics/")
      throw_not_found("Not found.");
    // Only plain names: no parent references, no hidden files.
    if (path.find("..") != std::string::npos || path.find("/.") != std::string::npos || path.find('\\') != std::string::npos)
      throw_not_found("Not found.");
    fs::path file = fs::path(root) / path.substr(1);
    std::error_code ec;
    if (path == "/" || fs::is_directory(file, ec)) file /= "index.html";
    if (!fs::is_regular_file(file, ec)) {
      // A client-side route (no extension) gets the app; a missing asset is a 404.
      if (fs::path(path).has_extension()) throw_not_found("Not found.");
      file = fs::path(root) / "index.html";
      if (!fs::is_regular_file(file, ec)) throw_not_found("The web client is not built (run npm run build in web/).");
    }
    Response res;
    std::string ext = file.extension().string();
    res.content_type = content_type_for(ext);
    bool hashed = path.rfind("/assets/", 0) == 0;
    res.set_header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Vary", "Accept-Encoding");
    fs::path gz = file;
    gz += ".gz";
    if (accepts_gzip(req.header("Accept-Encoding").value_or("")) && fs::is_regular_file(gz, ec)) {
      res.set_header("Content-Encoding", "gzip");
      file = gz;
    }
    // Validators of the bytes sent (the .gz file has its own), so a no-cache
    // index.html is revalidated with a 304 instead of sent again.
    return serve_file(req, file.string(), std::move(res), Ranges::refused);
  };
  return r;
}

}  // namespace wp::http
