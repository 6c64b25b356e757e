#pragma once
#include "core/config.hpp"
#include "http/router.hpp"
#include "modules/billing/service.hpp"

namespace wp::billing {

Settings settings_from(const Config& config);
// The billing file's catalog (the built-in one without a file). Throws BillingFileError.
Catalog catalog_from(const Config& config);
void add_routes(http::Router& router, BillingService& service);

}  // namespace wp::billing
