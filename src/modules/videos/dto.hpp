#pragma once
// JSON shapes of the videos API.
#include <boost/json.hpp>

#include "modules/videos/service.hpp"

namespace wp::videos {

boost::json::object video_json(const VideoRow& v, bool manager);
boost::json::object comment_json(const CommentRow& c);
boost::json::object like_json(const LikeCounts& l);
boost::json::object watch_json(const WatchTimeRow& w);
boost::json::object processing_json(const ProcessingStatus& s);

}  // namespace wp::videos
