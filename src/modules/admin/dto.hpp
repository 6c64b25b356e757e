#pragma once
// The JSON shapes of the admin rows.
#include <boost/json.hpp>

#include "modules/admin/model.hpp"
#include "modules/admin/service.hpp"

namespace wp::admin {

boost::json::object system_log_json(const SystemLogRow& r);
boost::json::object error_log_json(const ErrorLogRow& r);
boost::json::object broadcast_json(const BroadcastRow& b);
boost::json::object broadcast_status_json(const BroadcastStatus& s);
boost::json::object content_json(const ContentItem& c);
boost::json::object health_json(const Health& h);
// {"name","since","until","points":[{"t","node_id","label","value"}]}
boost::json::object series_json(const std::string& name, std::int64_t since, std::int64_t until,
                                const std::vector<MetricPoint>& points);

}  // namespace wp::admin
