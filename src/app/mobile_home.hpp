#pragma once
// The mobile home's sources (mobile::HomeSources) over the other modules'
// services. Here, in app/, so that the mobile module knows none of them.
#include "modules/admin/service.hpp"
#include "modules/events/service.hpp"
#include "modules/messaging/service.hpp"
#include "modules/mobile/home.hpp"
#include "modules/notifications/service.hpp"
#include "modules/parties/service.hpp"
#include "modules/recommendations/service.hpp"
#include "modules/videos/service.hpp"

namespace wp::app {

struct HomeServices {
  parties::PartiesService& parties;
  events::EventsService& events;
  videos::VideosService& videos;
  recommendations::RecommendationsService& recommendations;
  notifications::NotificationsService& notifications;
  messaging::MessagingService& messaging;
  admin::AdminService& admin;
};

// "Most recent popular videos": the most viewed of the last this many days.
inline constexpr int kHomePopularDays = 30;

mobile::HomeSources mobile_home_sources(HomeServices s);

}  // namespace wp::app
