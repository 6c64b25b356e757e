#pragma once
#include <string>

#include "http/router.hpp"

namespace wp::http {

// OpenAPI 3.1 document generated from the route table, so it cannot drift
// from the routes that are really served.
std::string openapi_document(const Router& router, const std::string& version);

}  // namespace wp::http
