#pragma once
#include "http/router.hpp"
#include "modules/social/service.hpp"

namespace wp::social {

// /api/social/...: friendships, follows, blocks.
void add_routes(http::Router& router, SocialService& service);

}  // namespace wp::social
