#include "modules/analytics/csv.hpp"

#include <fmt/format.h>

#include "core/clock.hpp"

namespace wp::analytics {

std::string to_csv(const std::vector<VideoBucket>& rows) {
  std::string out = "video_id,bucket_start,views,unique_viewers,watch_time,party_watch_time,likes,comments\r\n";
  for (auto& r : rows)
    out += fmt::format("{},{},{},{},{},{},{},{}\r\n", r.video_id, to_rfc3339(r.bucket_start), r.views,
                       r.unique_viewers, r.watch_time, r.party_watch_time, r.likes, r.comments);
  return out;
}

std::string to_csv(const std::vector<PartyBucket>& rows) {
  std::string out =
      "party_id,bucket_start,members,joins,leaves,messages,reactions,polls,watch_time,drift_reports,"
      "drift_abs_ms_sum,drift_abs_ms_max,peak_concurrent,member_ms,live_ms,present_at_end\r\n";
  for (auto& r : rows)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", r.party_id, to_rfc3339(r.bucket_start),
                       r.members, r.joins, r.leaves, r.messages, r.reactions, r.polls, r.watch_time, r.drift_reports,
                       r.drift_abs_ms_sum, r.drift_abs_ms_max, r.peak_concurrent, r.member_ms, r.live_ms,
                       r.present_at_end);
  return out;
}

std::string to_csv(const std::vector<UserBucket>& rows) {
  std::string out = "user_id,bucket_start,events,watch_time,parties_hosted,parties_joined,social\r\n";
  for (auto& r : rows)
    out += fmt::format("{},{},{},{},{},{},{}\r\n", r.user_id, to_rfc3339(r.bucket_start), r.events, r.watch_time,
                       r.parties_hosted, r.parties_joined, r.social);
  return out;
}

}  // namespace wp::analytics
