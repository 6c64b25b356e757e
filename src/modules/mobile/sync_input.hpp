#pragma once
// The body of POST /api/mobile/sync/ read into a SyncRequest, every bad
// field listed in one 400.
#include <boost/json.hpp>

#include "modules/mobile/service.hpp"

namespace wp::mobile {

SyncRequest parse_sync_request(const boost::json::object& body);

}  // namespace wp::mobile
