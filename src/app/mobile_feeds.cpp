#include "app/mobile_feeds.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "modules/accounts/dto.hpp"
#include "modules/messaging/dto.hpp"
#include "modules/notifications/dto.hpp"

namespace wp::app {

namespace json = boost::json;

namespace {

// A feed's source acts for the user whose records it reads.
Principal as_user(const std::string& user_id) { return Principal{user_id, ""}; }

// nullopt when the record's module says it is not there (for this user).
template <class F>
std::optional<std::string> unless_gone(F read) {
  try {
    return read();
  } catch (const Error& e) {
    if (e.code() == ErrorCode::not_found || e.code() == ErrorCode::forbidden) return std::nullopt;
    throw;
  }
}

std::string watch_payload(const videos::WatchTimeRow& w) {
  return json::serialize(json::object{{"video_id", w.video_id},
                                      {"position_s", w.last_position},
                                      {"completion_percentage", w.completion_percentage},
                                      {"total_watch_time", w.total_watch_time},
                                      {"updated_at", to_rfc3339(w.updated_at)}});
}

// Who is online changes by itself: it is live state, not synced data.
std::string conversation_payload(const messaging::ConversationView& v, const std::string& viewer) {
  auto o = messaging::conversation_json(v, viewer);
  for (auto& m : o["members"].as_array()) m.as_object().erase("online");
  return json::serialize(o);
}

mobile::FeedSource profile_feed(accounts::AccountsService& accounts) {
  auto one = [&accounts](const std::string& user_id, const std::string& id) -> std::optional<std::string> {
    if (id != user_id) return std::nullopt;
    return unless_gone([&] {
      return json::serialize(json::object{{"user", accounts::user_json(accounts.me(user_id), accounts.two_factor_enabled(user_id))},
                                          {"profile", accounts::profile_json(accounts.profile(user_id))}});
    });
  };
  return {one,
          [one](const std::string& user_id) {
            mobile::FeedRecords out;
            if (auto p = one(user_id, user_id)) out[user_id] = *p;
            return out;
          },
          true};
}

mobile::FeedSource conversations_feed(messaging::MessagingService& messaging) {
  return {[&messaging](const std::string& user_id, const std::string& id) {
            return unless_gone([&] { return conversation_payload(messaging.get(as_user(user_id), id), user_id); });
          },
          [&messaging](const std::string& user_id) {
            mobile::FeedRecords out;
            std::optional<messaging::ConversationCursor> after;
            do {
              auto page = messaging.list(as_user(user_id), after, 100);
              for (const auto& v : page.rows) out[v.conversation.id] = conversation_payload(v, user_id);
              after = page.next;
            } while (after);
            return out;
          },
          true};
}

mobile::FeedSource notifications_feed(notifications::NotificationsService& notifications) {
  return {[&notifications](const std::string& user_id, const std::string& id) {
            return unless_gone(
                [&] { return json::serialize(notifications::notification_json(notifications.get(as_user(user_id), id))); });
          },
          [&notifications](const std::string& user_id) {
            mobile::FeedRecords out;
            notifications::ListFilter f;
            f.limit = 200;
            for (f.offset = 0;; f.offset += f.limit) {
              auto page = notifications.list(as_user(user_id), f);
              for (const auto& n : page.rows) out[n.id] = json::serialize(notifications::notification_json(n));
              if (static_cast<int>(page.rows.size()) < f.limit) break;
            }
            return out;
          },
          true};
}

mobile::FeedSource watch_history_feed(videos::VideosService& videos) {
  return {[&videos](const std::string& user_id, const std::string& video_id) -> std::optional<std::string> {
            auto w = videos.watch_time_outside_parties(user_id, video_id);
            return w ? std::optional<std::string>(watch_payload(*w)) : std::nullopt;
          },
          [&videos](const std::string& user_id) {
            mobile::FeedRecords out;
            for (const auto& w : videos.watch_times_outside_parties(user_id)) out[w.video_id] = watch_payload(w);
            return out;
          },
          false};
}

// The member's own read point in a conversation.
std::int64_t read_point(const messaging::ConversationView& v, const std::string& user_id) {
  for (const auto& m : v.members)
    if (m.user_id == user_id) return m.last_read_seq;
  return 0;
}

}  // namespace

void wire_mobile_feeds(mobile::MobileService& mobile, const MobileFeedModules& m) {
  mobile.set_feed(mobile::DataType::profile, profile_feed(m.accounts));
  mobile.set_feed(mobile::DataType::conversations, conversations_feed(m.messaging));
  mobile.set_feed(mobile::DataType::notifications, notifications_feed(m.notifications));
  mobile.set_feed(mobile::DataType::watch_history, watch_history_feed(m.videos));
  mobile::PushTargets targets;
  targets.watch_position = [&videos = m.videos](const Principal& user, const std::string& video_id, double position) {
    return videos.advance_position(user, video_id, position);
  };
  targets.notification_read = [&notifications = m.notifications](const Principal& user, const std::string& id) {
    if (notifications.get(user, id).is_read) return false;
    notifications.mark_read(user, id);
    return true;
  };
  targets.conversation_read = [&messaging = m.messaging](const Principal& user, const std::string& conversation_id,
                                                          const std::string& message_id) {
    auto before = read_point(messaging.get(user, conversation_id), user.id);
    return messaging.mark_read(user, conversation_id, message_id).last_read_seq > before;
  };
  mobile.set_push_targets(std::move(targets));
}

}  // namespace wp::app
