#include "app/mobile_home.hpp"

namespace wp::app {

namespace {

mobile::HomeVideo home_video(const std::string& id, const std::string& title, const std::string& uploader_id,
                             const std::string& uploader_username, std::optional<double> duration,
                             const std::string& thumbnail) {
  return {id, title, {uploader_id, uploader_username}, duration, !thumbnail.empty()};
}

mobile::HomeParty home_party(const parties::PartyRow& p) {
  return {p.id, p.title, {p.host_id, p.host_username}, p.video_id, p.group_id, p.participant_count, p.actual_start};
}

mobile::HomeEvent home_event(const events::EventRow& e) {
  return {e.id,         e.title,  {e.organizer_id, e.organizer_username}, e.start_time,
          e.end_time,   std::string(to_string(e.status)), e.party_id};
}

}  // namespace

mobile::HomeSources mobile_home_sources(HomeServices s) {
  mobile::HomeSources out;
  out.live_parties = [&parties = s.parties](const Principal& me, int limit) {
    std::vector<mobile::HomeParty> out;
    for (auto& p : parties.live_of_friends_and_groups(me, limit)) out.push_back(home_party(p));
    return out;
  };
  out.upcoming_events = [&events = s.events](const Principal& me, int limit) {
    std::vector<mobile::HomeEvent> out;
    for (auto& e : events.upcoming_of(me, limit)) out.push_back(home_event(e));
    return out;
  };
  out.continue_watching = [&videos = s.videos](const Principal& me, int limit) {
    std::vector<mobile::HomeResume> out;
    for (auto& r : videos.continue_watching(me, limit))
      out.push_back({home_video(r.video_id, r.title, r.uploader_id, r.uploader_username, r.duration, r.thumbnail),
                     r.position, r.watched_at});
    return out;
  };
  out.recommendations = [&recommendations = s.recommendations](const Principal& me) {
    std::vector<mobile::HomeRecommendation> out;
    for (auto& r : recommendations.for_user(me))
      out.push_back({std::string(to_string(r.object_type)), r.object_id, r.title, r.reason});
    return out;
  };
  out.popular_videos = [&videos = s.videos](const Principal& me, int limit) {
    std::vector<mobile::HomeVideo> out;
    for (auto& v : videos.popular_recent(me, kHomePopularDays, limit))
      out.push_back(home_video(v.id, v.title, v.uploaded_by_id, v.uploader_username, v.duration, v.thumbnail));
    return out;
  };
  out.unread_notifications = [&notifications = s.notifications](const Principal& me) {
    return static_cast<std::int64_t>(notifications.unread(me).count);
  };
  out.unread_messages = [&messaging = s.messaging](const Principal& me) {
    auto u = messaging.unread_total(me);
    return mobile::HomeUnreadMessages{u.total, u.conversations};
  };
  out.announcements = [&admin = s.admin](const Principal& me) {
    std::vector<mobile::HomeAnnouncement> out;
    for (auto& b : admin.active_broadcasts(me))
      out.push_back({b.id, b.message, std::string(to_string(b.severity)), b.expires_at, b.created_at});
    return out;
  };
  return out;
}

}  // namespace wp::app
