#pragma once
// Rollup buckets as CSV (RFC 4180: a header line, then one line per bucket; ids
// and numbers only, so no field needs quoting).
#include <string>
#include <vector>

#include "modules/analytics/model.hpp"

namespace wp::analytics {

std::string to_csv(const std::vector<VideoBucket>& rows);
std::string to_csv(const std::vector<PartyBucket>& rows);
std::string to_csv(const std::vector<UserBucket>& rows);

}  // namespace wp::analytics
