#pragma once
// The notifications rules. Implements wp::Notifier, the one call every
// module makes ("notify user U of type T with data D"): the actor and
// blocks, the user's preferences and global mute, the in-app row with its
// grouping, the live events, and the email (outbox or digest) and push
// channels with quiet hours. Also the in-app API, preferences, one-click
// unsubscribe, the worker's outbox steps (outbox.cpp) and admin broadcasts
// (broadcast.cpp).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/mailer.hpp"
#include "core/notifier.hpp"
#include "core/principal.hpp"
#include "core/push.hpp"
#include "core/plans.hpp"
#include "core/relations.hpp"
#include "core/user_channel.hpp"
#include "modules/notifications/catalog.hpp"
#include "modules/notifications/model.hpp"
#include "modules/notifications/store.hpp"
#include "modules/notifications/templates.hpp"
#include "modules/notifications/unsubscribe.hpp"

namespace wp::notifications {

// What the accounts module tells about a user (wired in app.cpp).
struct Contact {
  std::string email, username, timezone;
  bool active = true;
};
using ContactOf = std::function<std::optional<Contact>(const std::string& user_id)>;

// A party whose scheduled start came, and whom to tell (the parties module's answer, app.cpp).
struct PartyStart {
  std::string party_id, title, host_id;
  std::int64_t scheduled_start = 0;
  std::vector<std::string> user_ids;
};
using PartyStarts = std::function<std::vector<PartyStart>(std::int64_t after, std::int64_t until)>;
// Runs a job off the request path (app.cpp: the blocking pool); false when refused.
using Submit = std::function<bool(std::function<void()> job)>;

struct Options {
  std::string public_url = "http://127.0.0.1:8000";
  int group_window_s = 3600;
  int retention_days = 90;
  int email_max_attempts = 5;
  int email_retry_base_s = 30;
  int email_lease_s = 60;
  int digest_interval_s = 86400;
  int party_start_lead_s = 300;
  int broadcast_batch = 500;
};

struct Page {
  std::vector<NotificationRow> rows;
  long long count = 0;
};

// A user's preferences as the API shows them.
struct Preferences {
  std::map<Type, std::map<Channel, bool>> channels;  // every type, every channel, defaults applied
  SettingsRow settings;
  std::string timezone;
};

struct PreferencesPatch {
  std::vector<PreferenceRow> channels;
  std::optional<bool> muted;
  std::optional<DigestMode> digest_mode;
  bool set_quiet_hours = false;  // quiet_start/end below, both nullopt: no quiet hours
  std::optional<int> quiet_start, quiet_end;
};

struct BroadcastInput {
  std::string title, message, url;
  Audience audience = Audience::all;
  std::optional<std::string> user_id;  // followers of whom
  std::optional<std::string> plan;     // audience plan: which
};

class NotificationsService : public Notifier {
 public:
  NotificationsService(Store& store, UserChannel& channel, PushSender& push, Options options);
  void set_relations(Relations& relations) { relations_ = &relations; }
  // Plan segments of broadcasts (billing); without it everyone is on the free plan.
  void set_plans(Plans& plans) { plans_ = &plans; }
  void set_contact_of(ContactOf contact_of) { contact_of_ = std::move(contact_of); }
  void set_party_starts(PartyStarts party_starts) { party_starts_ = std::move(party_starts); }
  void set_submit(Submit submit) { submit_ = std::move(submit); }

  // wp::Notifier
  void notify(const Notice& notice) override;

  // In-app
  Page list(const Principal& me, const ListFilter& f);
  UnreadCount unread(const Principal& me);
  NotificationRow get(const Principal& me, const std::string& id);
  NotificationRow mark_read(const Principal& me, const std::string& id);
  long long mark_all_read(const Principal& me);
  void remove(const Principal& me, const std::string& id);

  // Preferences
  Preferences preferences(const Principal& me);
  Preferences update_preferences(const Principal& me, const PreferencesPatch& patch);
  // One-click unsubscribe (no login): what the token stops, and (apply) stopping it.
  UnsubscribeTarget unsubscribe(const std::string& token, bool apply);
  std::string unsubscribe_url(const std::string& user_id, const std::string& kind);

  // The worker's steps (outbox.cpp). Each returns how much it did.
  bool send_next_email(const std::string& worker_id, Mailer& mailer);
  int fold_due_digests();
  long long enforce_retention();
  int notify_party_starts();

  // Admin broadcasts (broadcast.cpp): recorded at once, fanned out in the background.
  BroadcastRow start_broadcast(const Principal& me, const BroadcastInput& in);
  BroadcastRow broadcast(const Principal& me, const std::string& id);
  void run_broadcast(const std::string& id);

  const Options& options() const { return options_; }
  // For the modules' mentions (app.cpp): active users' ids by lower-cased username.
  std::vector<std::string> user_ids_by_name(const std::vector<std::string>& names) { return store_.user_ids_by_name(names); }

 private:
  // One notice of one user on its way to email and push.
  struct Delivery {
    std::string user_id;
    Type type = Type::admin_broadcast;
    Rendered text;
    std::string notification_id;  // "" when in-app is off
    std::string data_json = "{}";
    SettingsRow settings;
    std::vector<PreferenceRow> overrides;
    std::optional<Contact> contact;  // looked up when first needed
  };
  // Email and push for one notice of one user, after the in-app row (if any).
  void deliver_outside_app(const Delivery& d);
  void enqueue_email(const Delivery& d, const Contact& contact);
  // A broadcast's view of its audience's preferences, read once.
  struct FanoutPrefs {
    std::map<std::string, std::map<Channel, bool>> overrides;
    std::map<std::string, SettingsRow> settings;
    bool on(const std::string& user, Channel c) const;
  };
  void fan_out_page(const BroadcastRow& b, const Rendered& text, const std::string& data_json,
                    const std::vector<std::string>& page, const FanoutPrefs& prefs);
  void publish_row(const NotificationRow& row, bool grouped);
  void publish_count(const std::string& user_id, const UnreadCount& unread);
  bool enabled(Type type, Channel channel, const std::vector<PreferenceRow>& overrides) const;
  const std::string& unsubscribe_key();
  std::string link(const std::string& path) const;

  Store& store_;
  UserChannel& channel_;
  PushSender& push_;
  Options options_;
  Relations* relations_ = nullptr;
  Plans* plans_ = nullptr;
  ContactOf contact_of_;
  PartyStarts party_starts_;
  Submit submit_;
  std::string key_;
  std::once_flag key_once_;
};

}  // namespace wp::notifications
