#pragma once
#include "core/config.hpp"
#include "http/router.hpp"
#include "modules/events/service.hpp"

namespace wp::events {

void add_routes(http::Router& router, EventsService& service, const Config& config);

}  // namespace wp::events
