#pragma once
// Every SQL text of the notifications store, and the column tables of the
// rows it reads. Only store.cpp includes this. A row query is the text after
// the SELECT list (db::select_rows puts the list first).
#include "db/columns.hpp"
#include "modules/notifications/model.hpp"

namespace wp::notifications::sql {

inline const db::Columns<NotificationRow> kNotification{
    {"id", &NotificationRow::id},
    {"user_id", &NotificationRow::user_id},
    {"notification_type", &NotificationRow::type},
    {"title", &NotificationRow::title},
    {"message", &NotificationRow::message},
    {"data", &NotificationRow::data},
    {"group_key", &NotificationRow::group_key},
    {"group_count", &NotificationRow::group_count},
    {"actor_id", &NotificationRow::actor_id},
    {"is_read", &NotificationRow::is_read},
    {"read_at", &NotificationRow::read_at},
    {"created_at", &NotificationRow::created_at},
    {"updated_at", &NotificationRow::updated_at},
};

inline const db::Columns<PreferenceRow> kPreference{
    {"notification_type", &PreferenceRow::type},
    {"channel", &PreferenceRow::channel},
    {"enabled", &PreferenceRow::enabled},
};

inline const db::Columns<SettingsRow> kSettings{
    {"user_id", &SettingsRow::user_id},
    {"muted", &SettingsRow::muted},
    {"digest_mode", &SettingsRow::digest_mode},
    {"quiet_start", &SettingsRow::quiet_start},
    {"quiet_end", &SettingsRow::quiet_end},
};

inline const db::Columns<EmailRow> kEmail{
    {"id", &EmailRow::id},
    {"user_id", &EmailRow::user_id},
    {"notification_id", &EmailRow::notification_id},
    {"notification_type", &EmailRow::type},
    {"to_address", &EmailRow::to_address},
    {"subject", &EmailRow::subject},
    {"body_text", &EmailRow::body_text},
    {"body_html", &EmailRow::body_html},
    {"unsubscribe_url", &EmailRow::unsubscribe_url},
    {"status", &EmailRow::status},
    {"attempts", &EmailRow::attempts},
    {"max_attempts", &EmailRow::max_attempts},
    {"next_attempt_at", &EmailRow::next_attempt_at},
    {"last_error", &EmailRow::last_error},
    {"created_at", &EmailRow::created_at},
    {"sent_at", &EmailRow::sent_at},
};

inline const db::Columns<DigestItemRow> kDigestItem{
    {"id", &DigestItemRow::id},
    {"user_id", &DigestItemRow::user_id},
    {"notification_type", &DigestItemRow::type},
    {"title", &DigestItemRow::title},
    {"message", &DigestItemRow::message},
    {"url", &DigestItemRow::url},
    {"created_at", &DigestItemRow::created_at},
    {"due_at", &DigestItemRow::due_at},
};

inline const db::Columns<BroadcastRow> kBroadcast{
    {"id", &BroadcastRow::id},
    {"created_by", &BroadcastRow::created_by},
    {"audience", &BroadcastRow::audience},
    {"subject_user_id", &BroadcastRow::subject_user_id},
    {"plan_id", &BroadcastRow::plan},
    {"title", &BroadcastRow::title},
    {"message", &BroadcastRow::message},
    {"url", &BroadcastRow::url},
    {"status", &BroadcastRow::status},
    {"recipients", &BroadcastRow::recipients},
    {"created_at", &BroadcastRow::created_at},
    {"started_at", &BroadcastRow::started_at},
    {"finished_at", &BroadcastRow::finished_at},
};

inline constexpr const char* kForUpdate = " FOR UPDATE";
inline constexpr const char* kSkipLocked = " FOR UPDATE SKIP LOCKED";

// ---------------------------------------------------------------- in-app rows

inline constexpr const char* kInsert =
    "INSERT INTO notifications (id, user_id, notification_type, title, message, data, group_key, group_slot, "
    "group_count, actor_id, is_read, read_at, created_at, updated_at) VALUES (:id, :u, :t, :ti, :m, :d, :gk, :gs, 1, "
    ":a, FALSE, NULL, :c, :up)";
// The unique (user, type, slot) index decides between two first repeats at once.
inline constexpr const char* kInsertGrouped =
    "INSERT INTO notifications (id, user_id, notification_type, title, message, data, group_key, group_slot, "
    "group_count, actor_id, is_read, read_at, created_at, updated_at) VALUES (:id, :u, :t, :ti, :m, :d, :gk, :gs, 1, "
    ":a, FALSE, NULL, :c, :up) ON CONFLICT (user_id, notification_type, group_slot) DO NOTHING";
// A group stops taking repeats once its window has passed.
inline constexpr const char* kCloseStaleGroup =
    "UPDATE notifications SET group_slot = NULL WHERE user_id = :u AND notification_type = :t AND group_slot = :g "
    "AND created_at < :since";
inline constexpr const char* kOpenGroup =
    "FROM notifications WHERE user_id = :u AND notification_type = :t AND group_slot = :g";
inline constexpr const char* kUpdateGroup =
    "UPDATE notifications SET title = :ti, message = :m, data = :d, group_count = :n, actor_id = :a, updated_at = :up "
    "WHERE id = :id";
// A batch (a broadcast's page): one multi-row INSERT of the rows and one of
// the counters, then one query for every user's version and unread count.
inline constexpr const char* kInsertManyHead =
    "INSERT INTO notifications (id, user_id, notification_type, title, message, data, group_key, group_slot, "
    "group_count, actor_id, is_read, read_at, created_at, updated_at) VALUES ";
inline constexpr const char* kBumpManyHead = "INSERT INTO notification_counters (user_id, version) VALUES ";
inline constexpr const char* kBumpManyTail =
    " ON CONFLICT (user_id) DO UPDATE SET version = notification_counters.version + 1";
inline const db::Columns<UserUnread> kUserUnread{
    {"c.user_id", &UserUnread::user_id},
    {"c.version", &UserUnread::version},
    {"(SELECT COUNT(*) FROM notifications n WHERE n.user_id = c.user_id AND n.is_read = FALSE)", &UserUnread::count},
};
inline constexpr const char* kUnreadOfMany = "FROM notification_counters c WHERE c.user_id IN ";
inline constexpr const char* kById = "FROM notifications WHERE id = :id AND user_id = :u";
inline constexpr const char* kListFrom = "FROM notifications WHERE user_id = :u";
inline constexpr const char* kUnreadFilter = " AND is_read = FALSE";
inline constexpr const char* kReadFilter = " AND is_read = TRUE";
inline constexpr const char* kTypeFilter = " AND notification_type = :t";
inline constexpr const char* kNewestFirst = " ORDER BY updated_at DESC, id DESC LIMIT :lim OFFSET :off";
inline constexpr const char* kCount = "SELECT COUNT(*) ";
inline constexpr const char* kUnreadCount =
    "SELECT COUNT(*) FROM notifications WHERE user_id = :u AND is_read = FALSE";
inline constexpr const char* kMarkRead =
    "UPDATE notifications SET is_read = TRUE, read_at = :t, group_slot = NULL WHERE id = :id AND user_id = :u AND "
    "is_read = FALSE";
inline constexpr const char* kMarkAllRead =
    "UPDATE notifications SET is_read = TRUE, read_at = :t, group_slot = NULL WHERE user_id = :u AND is_read = FALSE";
inline constexpr const char* kDelete = "DELETE FROM notifications WHERE id = :id AND user_id = :u";
inline constexpr const char* kClaimKey =
    "INSERT INTO notification_keys (user_id, dedupe_key, created_at) VALUES (:u, :k, :t) ON CONFLICT DO NOTHING";
inline constexpr const char* kDeleteKeysOlderThan = "DELETE FROM notification_keys WHERE created_at < :cutoff";
inline constexpr const char* kDeleteOlderThan = "DELETE FROM notifications WHERE created_at < :cutoff";

// Taken before the count is read, so counts come out in version order.
inline constexpr const char* kBumpCounter =
    "INSERT INTO notification_counters (user_id, version) VALUES (:u, 1) ON CONFLICT (user_id) DO UPDATE SET "
    "version = notification_counters.version + 1";
inline constexpr const char* kCounterVersion = "SELECT version FROM notification_counters WHERE user_id = :u";

// ---------------------------------------------------------------- preferences

inline constexpr const char* kPreferencesOf = "FROM notification_preferences WHERE user_id = :u";
inline constexpr const char* kUpsertPreference =
    "INSERT INTO notification_preferences (user_id, notification_type, channel, enabled, updated_at) VALUES (:u, :t, "
    ":c, :e, :up) ON CONFLICT (user_id, notification_type, channel) DO UPDATE SET enabled = excluded.enabled, "
    "updated_at = excluded.updated_at";
inline constexpr const char* kSettingsOf = "FROM notification_settings WHERE user_id = :u";
inline constexpr const char* kUpsertSettings =
    "INSERT INTO notification_settings (user_id, muted, digest_mode, quiet_start, quiet_end, updated_at) VALUES (:u, "
    ":m, :d, :qs, :qe, :up) ON CONFLICT (user_id) DO UPDATE SET muted = excluded.muted, digest_mode = "
    "excluded.digest_mode, quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, updated_at = "
    "excluded.updated_at";
inline constexpr const char* kEnsureSettings =
    "INSERT INTO notification_settings (user_id, updated_at) VALUES (:u, :up) ON CONFLICT (user_id) DO NOTHING";
inline constexpr const char* kSetDigestMode =
    "INSERT INTO notification_settings (user_id, digest_mode, updated_at) VALUES (:u, :d, :up) ON CONFLICT (user_id) "
    "DO UPDATE SET digest_mode = excluded.digest_mode, updated_at = excluded.updated_at";
// A broadcast's fan-out reads the exceptions of every user at once.
inline const db::Columns<UserOverride> kOverride{
    {"user_id", &UserOverride::user_id},
    {"channel", &UserOverride::channel},
    {"enabled", &UserOverride::enabled},
};
inline constexpr const char* kTypeOverrides = "FROM notification_preferences WHERE notification_type = :t";
inline constexpr const char* kAllSettings = "FROM notification_settings";

// ---------------------------------------------------------------- email outbox

inline constexpr const char* kInsertEmail =
    "INSERT INTO email_notifications (id, user_id, notification_id, notification_type, to_address, subject, "
    "body_text, body_html, unsubscribe_url, status, attempts, max_attempts, next_attempt_at, last_error, created_at, "
    "updated_at) VALUES (:id, :u, :n, :t, :to, :s, :bt, :bh, :uu, 'queued', 0, :ma, :na, '', :c, :up)";
inline constexpr const char* kEmailById = "FROM email_notifications WHERE id = :id";
inline constexpr const char* kEmailsOf = "FROM email_notifications WHERE user_id = :u ORDER BY created_at, id";
// A mail whose last allowed attempt lost its lease (the worker died mid-send)
// fails instead of being sent once more.
inline constexpr const char* kFailSpentEmails =
    "UPDATE email_notifications SET status = 'failed', locked_by = NULL, last_error = :e, updated_at = :t WHERE "
    "status = 'sending' AND locked_at < :stale AND attempts >= max_attempts";
// SQLite: tx() holds the write lock, so select-then-update is atomic.
// PostgreSQL: SKIP LOCKED lets concurrent workers take different mails.
inline constexpr const char* kDueEmail =
    "SELECT id FROM email_notifications WHERE (status = 'queued' AND next_attempt_at <= :t) OR (status = 'sending' "
    "AND locked_at < :stale AND attempts < max_attempts) ORDER BY next_attempt_at, id LIMIT 1";
inline constexpr const char* kStartEmail =
    "UPDATE email_notifications SET status = 'sending', attempts = attempts + 1, locked_by = :w, locked_at = :t, "
    "updated_at = :t2 WHERE id = :id";
inline constexpr const char* kEmailSent =
    "UPDATE email_notifications SET status = 'sent', locked_by = NULL, last_error = '', sent_at = :t, updated_at = "
    ":t2 WHERE id = :id AND locked_by = :w AND status = 'sending'";
inline constexpr const char* kRetryEmail =
    "UPDATE email_notifications SET status = 'queued', locked_by = NULL, locked_at = NULL, next_attempt_at = :n, "
    "last_error = :e, updated_at = :t WHERE id = :id AND locked_by = :w AND status = 'sending'";
inline constexpr const char* kFailEmail =
    "UPDATE email_notifications SET status = 'failed', locked_by = NULL, last_error = :e, updated_at = :t WHERE "
    "id = :id AND locked_by = :w AND status = 'sending'";
inline constexpr const char* kReleaseEmail =
    "UPDATE email_notifications SET status = 'queued', attempts = attempts - 1, locked_by = NULL, locked_at = NULL, "
    "updated_at = :t WHERE id = :id AND locked_by = :w AND status = 'sending'";

// ---------------------------------------------------------------- digest

inline constexpr const char* kInsertDigestItem =
    "INSERT INTO notification_digest_items (id, user_id, notification_type, title, message, url, created_at, due_at) "
    "VALUES (:id, :u, :t, :ti, :m, :url, :c, :due)";
inline constexpr const char* kDueDigestUsers =
    "SELECT DISTINCT user_id FROM notification_digest_items WHERE due_at <= :t LIMIT 50";
inline constexpr const char* kDigestItemsOf =
    "FROM notification_digest_items WHERE user_id = :u ORDER BY created_at, id";
inline constexpr const char* kDeleteDigestItem = "DELETE FROM notification_digest_items WHERE id = :id";
inline constexpr const char* kDigestDueOf =
    "SELECT COALESCE(MIN(due_at), 0) FROM notification_digest_items WHERE user_id = :u";

// ---------------------------------------------------------------- broadcasts

inline constexpr const char* kInsertBroadcast =
    "INSERT INTO notification_broadcasts (id, created_by, audience, subject_user_id, plan_id, title, message, url, "
    "status, recipients, created_at) VALUES (:id, :by, :a, :s, :p, :ti, :m, :url, 'queued', 0, :c)";
inline constexpr const char* kBroadcastById = "FROM notification_broadcasts WHERE id = :id";
inline constexpr const char* kBroadcastStarted =
    "UPDATE notification_broadcasts SET status = 'running', started_at = :t WHERE id = :id";
inline constexpr const char* kBroadcastProgress =
    "UPDATE notification_broadcasts SET recipients = recipients + :n WHERE id = :id";
inline constexpr const char* kBroadcastFinished =
    "UPDATE notification_broadcasts SET status = :s, finished_at = :t WHERE id = :id";
// Audiences, in id order, one page after another (keyset).
inline constexpr const char* kAllUsersAfter =
    "SELECT id FROM users WHERE is_active = TRUE AND id > :after ORDER BY id LIMIT :lim";
inline constexpr const char* kStaffAfter =
    "SELECT id FROM users WHERE is_active = TRUE AND (is_staff = TRUE OR is_superuser = TRUE) AND id > :after "
    "ORDER BY id LIMIT :lim";
inline constexpr const char* kFollowersAfter =
    "SELECT f.follower_id FROM user_follows f JOIN users u ON u.id = f.follower_id WHERE f.followed_id = :s AND "
    "f.status = 'active' AND u.is_active = TRUE AND f.follower_id > :after ORDER BY f.follower_id LIMIT :lim";

// Mentions: usernames to ids (a lookup on users, as lists read other modules' tables).
inline constexpr const char* kUserIdByName = "SELECT id FROM users WHERE username_key = :k AND is_active = TRUE";

// ---------------------------------------------------------------- worker bookkeeping

inline constexpr const char* kCursor = "SELECT position FROM notification_cursors WHERE name = :n";
inline constexpr const char* kInsertCursor =
    "INSERT INTO notification_cursors (name, position) VALUES (:n, :p) ON CONFLICT (name) DO NOTHING";
inline constexpr const char* kAdvanceCursor =
    "UPDATE notification_cursors SET position = :to WHERE name = :n AND position = :from";

inline constexpr const char* kInsertSecret =
    "INSERT INTO instance_settings (key, value, updated_at) VALUES (:k, :v, :t) ON CONFLICT (key) DO NOTHING";
inline constexpr const char* kSecret = "SELECT value FROM instance_settings WHERE key = :k";

}  // namespace wp::notifications::sql
