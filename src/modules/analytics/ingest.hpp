#pragma once
// The rules of a client batch: each event checked on its own, a bad one
// reported by its index while the good ones are kept. Pure: no I/O.
#include <boost/json/array.hpp>

#include <string>

#include "modules/analytics/model.hpp"

namespace wp::analytics {

// Checks every event of `events` (the batch's "events" array, at most
// settings.max_batch long: the caller checks that) and stamps the good ones
// with the origin. Ids are new UUIDs.
Batch check_batch(const boost::json::array& events, const Origin& origin, const Settings& settings);

// The address kept for privacy: IPv4 without its last octet (a.b.c.0), IPv6
// without its last 80 bits (a /48). Anything unparsable becomes "".
std::string truncate_ip(const std::string& ip);

}  // namespace wp::analytics
