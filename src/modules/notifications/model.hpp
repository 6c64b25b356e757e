#pragma once
// Notifications: the rows the store reads and writes, and the vocabulary
// (types, channels, digest modes, outbox states) with their string tables.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::notifications {

// Every kind of notice a module may send (docs/api.md, "Notifications").
enum class Type {
  friend_request,
  friend_accepted,
  party_invitation,
  party_starting,
  party_join_request,
  new_message,
  mention,
  comment_reply,
  video_like,
  group_invitation,
  event_invitation,
  event_reminder,
  event_updated,
  event_cancelled,
  event_waitlist_promoted,
  ticket_reply,
  ticket_status,
  moderation_action,
  subscription,
  payment,
  payment_failed,
  admin_broadcast,
  saved_search_match,  // search (#22)
  achievement_unlocked,  // store (#18)
};

enum class Channel { in_app, email, push };
enum class DigestMode { immediate, daily, off };
enum class EmailStatus { queued, sending, sent, failed };
enum class Audience { all, followers, staff, plan };
enum class BroadcastStatus { queued, running, done, failed };

struct NotificationRow {
  std::string id;
  std::string user_id;
  Type type = Type::admin_broadcast;
  std::string title, message;
  std::string data = "{}";  // JSON object text
  std::string group_key;
  int group_count = 1;
  std::optional<std::string> actor_id;
  bool is_read = false;
  std::optional<std::int64_t> read_at;
  std::int64_t created_at = 0, updated_at = 0;
};

// A list's filters and window.
struct ListFilter {
  std::optional<bool> unread_only;
  std::optional<Type> type;
  int limit = 20, offset = 0;
};

// The unread count after a change, with the version that orders such counts.
struct UnreadCount {
  long long count = 0;
  long long version = 0;
};

struct UserUnread {
  std::string user_id;
  std::int64_t version = 0, count = 0;
};

struct PreferenceRow {
  Type type = Type::admin_broadcast;
  Channel channel = Channel::in_app;
  bool enabled = true;
};

// One user's exception for one channel of a type (a broadcast reads them all).
struct UserOverride {
  std::string user_id;
  Channel channel = Channel::in_app;
  bool enabled = true;
};

struct SettingsRow {
  std::string user_id;
  bool muted = false;
  DigestMode digest_mode = DigestMode::immediate;
  std::optional<int> quiet_start, quiet_end;  // minutes of the local day
};

struct EmailRow {
  std::string id;
  std::string user_id;
  std::optional<std::string> notification_id;
  std::string type;  // a Type's name, or "digest"
  std::string to_address, subject, body_text, body_html, unsubscribe_url;
  EmailStatus status = EmailStatus::queued;
  int attempts = 0, max_attempts = 5;
  std::int64_t next_attempt_at = 0;
  std::string last_error;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> sent_at;
};

struct DigestItemRow {
  std::string id;
  std::string user_id;
  std::string type;
  std::string title, message, url;
  std::int64_t created_at = 0, due_at = 0;
};

struct BroadcastRow {
  std::string id;
  std::optional<std::string> created_by;
  Audience audience = Audience::all;
  std::optional<std::string> subject_user_id;  // followers of whom
  std::optional<std::string> plan;             // audience plan: the billing plan's id
  std::string title, message, url;
  BroadcastStatus status = BroadcastStatus::queued;
  std::int64_t recipients = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> started_at, finished_at;
};

}  // namespace wp::notifications

WP_ENUM_NAMES(wp::notifications::Type, {wp::notifications::Type::friend_request, "friend_request"},
              {wp::notifications::Type::friend_accepted, "friend_accepted"},
              {wp::notifications::Type::party_invitation, "party_invitation"},
              {wp::notifications::Type::party_starting, "party_starting"},
              {wp::notifications::Type::party_join_request, "party_join_request"},
              {wp::notifications::Type::new_message, "new_message"}, {wp::notifications::Type::mention, "mention"},
              {wp::notifications::Type::comment_reply, "comment_reply"},
              {wp::notifications::Type::video_like, "video_like"},
              {wp::notifications::Type::group_invitation, "group_invitation"},
              {wp::notifications::Type::event_invitation, "event_invitation"},
              {wp::notifications::Type::event_reminder, "event_reminder"},
              {wp::notifications::Type::event_updated, "event_updated"},
              {wp::notifications::Type::event_cancelled, "event_cancelled"},
              {wp::notifications::Type::event_waitlist_promoted, "event_waitlist_promoted"},
              {wp::notifications::Type::ticket_reply, "ticket_reply"},
              {wp::notifications::Type::ticket_status, "ticket_status"},
              {wp::notifications::Type::moderation_action, "moderation_action"},
              {wp::notifications::Type::subscription, "subscription"},
              {wp::notifications::Type::payment, "payment"},
              {wp::notifications::Type::payment_failed, "payment_failed"},
              {wp::notifications::Type::admin_broadcast, "admin_broadcast"},
              {wp::notifications::Type::saved_search_match, "saved_search_match"},
              {wp::notifications::Type::achievement_unlocked, "achievement_unlocked"});
WP_ENUM_NAMES(wp::notifications::Channel, {wp::notifications::Channel::in_app, "in_app"},
              {wp::notifications::Channel::email, "email"}, {wp::notifications::Channel::push, "push"});
WP_ENUM_NAMES(wp::notifications::DigestMode, {wp::notifications::DigestMode::immediate, "immediate"},
              {wp::notifications::DigestMode::daily, "daily"}, {wp::notifications::DigestMode::off, "off"});
WP_ENUM_NAMES(wp::notifications::EmailStatus, {wp::notifications::EmailStatus::queued, "queued"},
              {wp::notifications::EmailStatus::sending, "sending"}, {wp::notifications::EmailStatus::sent, "sent"},
              {wp::notifications::EmailStatus::failed, "failed"});
WP_ENUM_NAMES(wp::notifications::Audience, {wp::notifications::Audience::all, "all"},
              {wp::notifications::Audience::followers, "followers"}, {wp::notifications::Audience::staff, "staff"},
              {wp::notifications::Audience::plan, "plan"});
WP_ENUM_NAMES(wp::notifications::BroadcastStatus, {wp::notifications::BroadcastStatus::queued, "queued"},
              {wp::notifications::BroadcastStatus::running, "running"},
              {wp::notifications::BroadcastStatus::done, "done"},
              {wp::notifications::BroadcastStatus::failed, "failed"});
