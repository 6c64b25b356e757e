#pragma once
#include "http/router.hpp"
#include "modules/moderation/service.hpp"

namespace wp::moderation {

// /api/moderation/ (reports, queue, actions, standing) and the moderation
// routes of /api/admin/users/ (suspend, unsuspend, ban, bulk).
void add_routes(http::Router& router, ModerationService& service);

}  // namespace wp::moderation
