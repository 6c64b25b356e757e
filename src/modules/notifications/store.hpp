#pragma once
// Every statement of the notifications module: in-app rows with their
// grouping and unread counters, preferences, the email outbox and digest,
// broadcasts and the worker's cursors.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "modules/notifications/model.hpp"

namespace wp::notifications {

// What storing a notice did.
struct Stored {
  NotificationRow row;
  bool grouped = false;    // an existing row took it (its count grew)
  bool duplicate = false;  // its dedupe key was seen before: nothing was written
  UnreadCount unread;
};

// Re-renders a group's row once its count and data changed.
using Regroup = std::function<void(NotificationRow& row)>;
// Builds the digest mail of a user's waiting items (nullopt: nothing to send).
using BuildDigest = std::function<std::optional<EmailRow>(const std::vector<DigestItemRow>& items)>;

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // In-app rows. With a group key, a repeat inside the window (since: the
  // earliest created_at a group may have) joins the open row instead.
  // With a dedupe key, the key is recorded in the same transaction; a key
  // seen before writes nothing and answers duplicate.
  Stored insert(const NotificationRow& row, std::int64_t since, const Regroup& regroup,
                const std::string& dedupe_key = {});
  // Records a notice's key alone (its user has no in-app row): false if seen before.
  bool claim_key(const std::string& user_id, const std::string& dedupe_key, std::int64_t now);
  // Many new rows at once, in one transaction (a broadcast's batch); the unread count of each user.
  std::map<std::string, UnreadCount> insert_many(const std::vector<NotificationRow>& rows);
  std::optional<NotificationRow> get(const std::string& user_id, const std::string& id);
  std::vector<NotificationRow> list(const std::string& user_id, const ListFilter& f);
  long long count(const std::string& user_id, const ListFilter& f);
  UnreadCount unread(const std::string& user_id);
  // nullopt: no such notification of the user's (or it was read already: `changed` false).
  std::optional<UnreadCount> mark_read(const std::string& user_id, const std::string& id, std::int64_t now, bool& changed);
  UnreadCount mark_all_read(const std::string& user_id, std::int64_t now, long long& changed);
  std::optional<UnreadCount> remove(const std::string& user_id, const std::string& id);
  long long delete_older_than(std::int64_t cutoff);

  // Preferences: only the user's exceptions to the defaults are stored.
  std::vector<PreferenceRow> preferences(const std::string& user_id);
  void set_preferences(const std::string& user_id, const std::vector<PreferenceRow>& changes, std::int64_t now);
  // The channel changes, then edit applied to the settings row (when given), in
  // one transaction: a failure or a concurrent PATCH never leaves half of one.
  void update_preferences(const std::string& user_id, const std::vector<PreferenceRow>& changes,
                          const std::function<void(SettingsRow&)>& edit, std::int64_t now);
  std::optional<SettingsRow> settings(const std::string& user_id);
  void set_digest_mode(const std::string& user_id, DigestMode mode, std::int64_t now);
  // For a fan-out: every user's exception for one type, and the muted users.
  std::map<std::string, std::map<Channel, bool>> overrides_for(Type type);
  // Every user's settings row (only users who changed a setting have one).
  std::map<std::string, SettingsRow> all_settings();

  // The email outbox.
  void enqueue_email(const EmailRow& e);
  std::optional<EmailRow> email(const std::string& id);
  std::vector<EmailRow> emails_of(const std::string& user_id);
  std::optional<EmailRow> claim_email(const std::string& worker_id, std::int64_t now, std::int64_t lease_ms);
  bool email_sent(const std::string& id, const std::string& worker_id, std::int64_t now);
  void email_failed(const std::string& id, const std::string& worker_id, const std::string& error,
                    std::optional<std::int64_t> retry_at, std::int64_t now);
  void release_email(const std::string& id, const std::string& worker_id, std::int64_t now);

  // The digest: items wait until the earliest one is due, then go as one mail.
  void add_digest_item(const DigestItemRow& item);
  std::vector<std::string> due_digest_users(std::int64_t now);
  // When the user's waiting batch is due; 0 when nothing waits.
  std::int64_t digest_due(const std::string& user_id);
  // In one transaction: the user's items, the mail built from them, the items gone.
  bool fold_digest(const std::string& user_id, std::int64_t now, const BuildDigest& build);

  // Broadcasts
  void insert_broadcast(const BroadcastRow& b);
  std::optional<BroadcastRow> broadcast(const std::string& id);
  void broadcast_started(const std::string& id, std::int64_t now);
  void broadcast_progress(const std::string& id, long long recipients);
  void broadcast_finished(const std::string& id, BroadcastStatus status, std::int64_t now);
  std::vector<std::string> audience_page(Audience audience, const std::string& subject, const std::string& after,
                                         int limit);

  // Active users by lower-cased username (mentions); unknown names are left out.
  std::vector<std::string> user_ids_by_name(const std::vector<std::string>& usernames);

  // A scan that must run once across workers: the position it starts from
  // (set to `initial` the first time), and a compare-and-set to move it on.
  std::int64_t cursor(const std::string& name, std::int64_t initial);
  bool advance_cursor(const std::string& name, std::int64_t from, std::int64_t to);
  // A secret of this instance, made once and shared by every node.
  std::string instance_secret(const std::string& key, const std::string& fresh, std::int64_t now);

 private:
  db::Database& db_;
};

}  // namespace wp::notifications
