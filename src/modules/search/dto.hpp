#pragma once
// The JSON shapes of search.
#include <boost/json.hpp>

#include "modules/search/model.hpp"

namespace wp::search {

boost::json::object hit_json(const Hit& h);
boost::json::object suggestion_json(const Suggestion& s);
boost::json::object recent_json(const RecentSearch& r);
boost::json::object stats_json(const Stats& s);
boost::json::object saved_json(const SavedSearchRow& s);

}  // namespace wp::search
