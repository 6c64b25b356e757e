#include "modules/notifications/catalog.hpp"

namespace wp::notifications {

const std::vector<TypeInfo>& type_catalog() {
  // Email is on by default only for what a person would miss: invitations,
  // requests addressed to them, replies, account matters.
  static const std::vector<TypeInfo> all = {
      {Type::friend_request, "Friend requests", true, true, true, "normal"},
      {Type::friend_accepted, "Accepted friend requests", true, false, true, "low"},
      {Type::party_invitation, "Party invitations", true, true, true, "high"},
      {Type::party_starting, "Parties starting", true, true, true, "high"},
      {Type::party_join_request, "Requests to join my parties", true, false, true, "normal"},
      {Type::new_message, "New messages", true, false, true, "high"},
      {Type::mention, "Mentions", true, true, true, "normal"},
      {Type::comment_reply, "Replies to my comments", true, true, true, "normal"},
      {Type::video_like, "Likes on my videos", true, false, false, "low"},
      {Type::group_invitation, "Group invitations", true, true, true, "normal"},
      {Type::event_invitation, "Event invitations", true, true, true, "normal"},
      {Type::event_reminder, "Event reminders", true, true, true, "high"},
      {Type::event_updated, "Event time changes", true, true, true, "normal"},
      {Type::event_cancelled, "Cancelled events", true, true, true, "high"},
      {Type::event_waitlist_promoted, "Event waitlist places", true, true, true, "high"},
      {Type::ticket_reply, "Support ticket replies", true, true, true, "normal"},
      {Type::ticket_status, "Support ticket status changes", true, true, false, "low"},
      {Type::moderation_action, "Moderation of my account or content", true, true, false, "normal"},
      {Type::subscription, "Subscription changes", true, true, false, "normal"},
      {Type::payment, "Payments", true, true, false, "normal"},
      {Type::payment_failed, "Failed payments (the plan holds until the grace period ends)", true, true, true, "high"},
      {Type::admin_broadcast, "Announcements", true, false, true, "low"},
      {Type::saved_search_match, "New results for my saved searches", true, false, true, "low"},
      {Type::achievement_unlocked, "Achievements unlocked", true, false, true, "low"},  // store (#18)
  };
  return all;
}

const TypeInfo& type_info(Type type) {
  for (auto& i : type_catalog())
    if (i.type == type) return i;
  return type_catalog().back();
}

bool default_enabled(Type type, Channel channel) {
  const auto& i = type_info(type);
  switch (channel) {
    case Channel::in_app: return i.in_app;
    case Channel::email: return i.email;
    case Channel::push: return i.push;
  }
  return false;
}

}  // namespace wp::notifications
