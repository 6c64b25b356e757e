#pragma once
// The web client's built files, served from a directory: long-lived caching
// for content-hashed assets, gzip variants when present, and index.html for
// client-side routes.
#include <string>

#include "http/route.hpp"

namespace wp::http {

Route static_files_route(std::string root_dir);

}  // namespace wp::http
