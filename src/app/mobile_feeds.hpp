#pragma once
// Mobile (#21): the sync's feeds of records other modules own (profile,
// conversations, notifications, watch history) and the modules an offline
// push applies to, over their services. Here, in app/, so that the mobile
// module knows none of them.
#include "modules/accounts/service.hpp"
#include "modules/messaging/service.hpp"
#include "modules/mobile/service.hpp"
#include "modules/notifications/service.hpp"
#include "modules/videos/service.hpp"

namespace wp::app {

struct MobileFeedModules {
  accounts::AccountsService& accounts;
  messaging::MessagingService& messaging;
  notifications::NotificationsService& notifications;
  videos::VideosService& videos;
};

void wire_mobile_feeds(mobile::MobileService& mobile, const MobileFeedModules& modules);

}  // namespace wp::app
