#pragma once
// The JSON shapes of the analytics answers.
#include <boost/json/object.hpp>

#include "modules/analytics/model.hpp"
#include "modules/analytics/service.hpp"

namespace wp::analytics {

// {"accepted": n, "rejected": [{"index": i, "errors": {"field": ["..."]}}], "event_types_version": v}
boost::json::object batch_json(const Batch& batch);
// {"version": v, "event_types": [...]}
boost::json::object event_types_json();

boost::json::object video_report_json(const std::string& video_id, const Range& range, const VideoReport& r);
boost::json::object party_report_json(const std::string& party_id, const Range& range, const PartyReport& r);
boost::json::object behavior_json(const Range& range, const BehaviorReport& r);
// {"weeks", "week_starts": "monday", "cohorts": [{"week_start", "size", "retention": [{"week", "active", "share"}]}]}
boost::json::object cohorts_json(int weeks, const std::vector<Cohort>& cohorts);
boost::json::object live_json(const LiveTotals& t, std::int64_t at);
boost::json::object predictive_json(const PredictiveReport& r);

}  // namespace wp::analytics
