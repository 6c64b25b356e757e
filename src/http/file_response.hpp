#pragma once
// Answers with bytes on disk, written once for every route that serves
// files (the video file routes and the web client): validators (ETag,
// Last-Modified), conditional GET (304) and, where the route serves them,
// byte ranges (206, 416). The decision itself is select_response (range.hpp).
#include <optional>
#include <string>

#include "http/message.hpp"

namespace wp::http {

enum class Ranges { refused, accepted };

// res brings the caller's content type and headers (Cache-Control, ...); the
// answer is res with the validators, its status and the file, or the part
// of it asked for, as its body. Throws not_found when path is not a regular file.
Response serve_file(const Request& req, const std::string& path, Response res, Ranges ranges);

// An uploaded image (avatars: png, jpg, gif or webp by its extension),
// cached for a day; not_found with `missing` when there is none.
Response serve_image(const Request& req, const std::optional<std::string>& path, const std::string& missing);

}  // namespace wp::http
