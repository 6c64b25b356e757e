#pragma once
#include "core/config.hpp"
#include "http/router.hpp"
#include "modules/support/service.hpp"

namespace wp::support {

Settings settings_from(const Config& config);
// routes.cpp: tickets, replies, attachments; faq_routes.cpp: FAQ and feedback.
void add_routes(http::Router& router, SupportService& service);
void add_faq_routes(http::Router& router, SupportService& service);

}  // namespace wp::support
