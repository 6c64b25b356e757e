#pragma once
// The JSON shapes of the analytics answers.
#include <boost/json/object.hpp>

#include "modules/analytics/model.hpp"

namespace wp::analytics {

// {"accepted": n, "rejected": [{"index": i, "errors": {"field": ["..."]}}], "event_types_version": v}
boost::json::object batch_json(const Batch& batch);
// {"version": v, "event_types": [...]}
boost::json::object event_types_json();

}  // namespace wp::analytics
