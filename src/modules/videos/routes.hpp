#pragma once
#include "core/config.hpp"
#include "http/router.hpp"
#include "modules/videos/service.hpp"

namespace wp::videos {

// /api/videos/... including tus uploads at /api/videos/uploads/.
void add_routes(http::Router& router, VideosService& service, const Config& config);

}  // namespace wp::videos
