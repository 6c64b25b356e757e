#pragma once
// Every SQL text of the push store, and the column tables of the rows it
// reads. Only store.cpp includes this. A row query is the text after the
// SELECT list (db::select_rows puts the list first).
#include "db/columns.hpp"
#include "modules/push/model.hpp"

namespace wp::push::sql {

inline const db::Columns<SubscriptionRow> kSubscription{
    {"id", &SubscriptionRow::id},
    {"user_id", &SubscriptionRow::user_id},
    {"endpoint", &SubscriptionRow::endpoint},
    {"p256dh", &SubscriptionRow::p256dh},
    {"auth", &SubscriptionRow::auth},
    {"user_agent", &SubscriptionRow::user_agent},
    {"created_at", &SubscriptionRow::created_at},
    {"last_used_at", &SubscriptionRow::last_used_at},
};

inline const db::Columns<DeviceTokenRow> kDevice{
    {"id", &DeviceTokenRow::id},
    {"user_id", &DeviceTokenRow::user_id},
    {"token", &DeviceTokenRow::token},
    {"platform", &DeviceTokenRow::platform},
    {"created_at", &DeviceTokenRow::created_at},
    {"last_used_at", &DeviceTokenRow::last_used_at},
};

inline const db::Columns<PushRow> kPush{
    {"id", &PushRow::id},
    {"user_id", &PushRow::user_id},
    {"channel", &PushRow::channel},
    {"subscription_id", &PushRow::subscription_id},
    {"device_id", &PushRow::device_id},
    {"notification_id", &PushRow::notification_id},
    {"type", &PushRow::type},
    {"title", &PushRow::title},
    {"body", &PushRow::body},
    {"url", &PushRow::url},
    {"data", &PushRow::data},
    {"ttl_s", &PushRow::ttl_s},
    {"urgency", &PushRow::urgency},
    {"status", &PushRow::status},
    {"attempts", &PushRow::attempts},
    {"max_attempts", &PushRow::max_attempts},
    {"next_attempt_at", &PushRow::next_attempt_at},
    {"expires_at", &PushRow::expires_at},
    {"locked_by", &PushRow::locked_by},
    {"locked_at", &PushRow::locked_at},
    {"http_status", &PushRow::http_status},
    {"error", &PushRow::error},
    {"created_at", &PushRow::created_at},
    {"updated_at", &PushRow::updated_at},
    {"sent_at", &PushRow::sent_at},
};

inline const db::Columns<AttemptRow> kAttempt{
    {"attempt", &AttemptRow::attempt},
    {"worker", &AttemptRow::worker},
    {"http_status", &AttemptRow::http_status},
    {"error", &AttemptRow::error},
    {"started_at", &AttemptRow::started_at},
    {"finished_at", &AttemptRow::finished_at},
};

// ---------------------------------------------------------------- subscriptions and devices

// An endpoint belongs to one browser profile: registering it again (new
// keys, or another user signed in there) takes the row over.
inline constexpr const char* kUpsertSubscription =
    "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, user_agent, created_at) VALUES (:id, :u, "
    ":e, :p, :a, :ua, :c) ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = "
    "excluded.p256dh, auth = excluded.auth, user_agent = excluded.user_agent";
inline constexpr const char* kSubscriptionByEndpoint = "FROM push_subscriptions WHERE endpoint = :e";
inline constexpr const char* kSubscriptionById = "FROM push_subscriptions WHERE id = :id";
inline constexpr const char* kSubscriptionsOf = "FROM push_subscriptions WHERE user_id = :u ORDER BY created_at, id";
inline constexpr const char* kDeleteSubscriptionOf = "DELETE FROM push_subscriptions WHERE id = :id AND user_id = :u";
inline constexpr const char* kDeleteSubscription = "DELETE FROM push_subscriptions WHERE id = :id";
inline constexpr const char* kSubscriptionUsed = "UPDATE push_subscriptions SET last_used_at = :t WHERE id = :id";

inline constexpr const char* kUpsertDevice =
    "INSERT INTO push_device_tokens (id, user_id, token, platform, created_at) VALUES (:id, :u, :tk, :p, :c) ON "
    "CONFLICT (token) DO UPDATE SET user_id = excluded.user_id, platform = excluded.platform";
inline constexpr const char* kDeviceByToken = "FROM push_device_tokens WHERE token = :tk";
inline constexpr const char* kDeviceById = "FROM push_device_tokens WHERE id = :id";
inline constexpr const char* kDevicesOf = "FROM push_device_tokens WHERE user_id = :u ORDER BY created_at, id";
inline constexpr const char* kDeleteDeviceOf = "DELETE FROM push_device_tokens WHERE id = :id AND user_id = :u";
inline constexpr const char* kDeleteDevice = "DELETE FROM push_device_tokens WHERE id = :id";
inline constexpr const char* kDeleteDeviceToken = "DELETE FROM push_device_tokens WHERE token = :tk";
inline constexpr const char* kDeviceUsed = "UPDATE push_device_tokens SET last_used_at = :t WHERE id = :id";

// ---------------------------------------------------------------- the outbox

inline constexpr const char* kInsertPush =
    "INSERT INTO push_notifications (id, user_id, channel, subscription_id, device_id, notification_id, type, title, "
    "body, url, data, ttl_s, urgency, status, attempts, max_attempts, next_attempt_at, expires_at, error, "
    "created_at, updated_at) VALUES (:id, :u, :ch, :s, :d, :n, :ty, :ti, :b, :url, :data, :ttl, :urg, 'queued', 0, "
    ":ma, :na, :ex, '', :c, :up)";
inline constexpr const char* kPushById = "FROM push_notifications WHERE id = :id";
inline constexpr const char* kPushOfUser = "FROM push_notifications WHERE id = :id AND user_id = :u";
inline constexpr const char* kPushesOf =
    "FROM push_notifications WHERE user_id = :u ORDER BY created_at DESC, id DESC LIMIT :lim OFFSET :off";
inline constexpr const char* kCountPushesOf = "SELECT COUNT(*) FROM push_notifications WHERE user_id = :u";
inline constexpr const char* kAttemptsOf = "FROM push_attempts WHERE push_id = :p ORDER BY attempt";

// A worker that died with a request in flight leaves its row 'sending':
// whether the push service got it is unknown, so it is failed, never sent
// twice. Its attempt is recorded first (the id names push and attempt, so
// two claims recording it at once make one row).
inline constexpr const char* kRecordLostSends =
    "INSERT INTO push_attempts (id, push_id, attempt, worker, http_status, error, started_at, finished_at) SELECT "
    "id || '/' || attempts, id, attempts, COALESCE(locked_by, ''), NULL, :e, COALESCE(locked_at, 0), :t FROM "
    "push_notifications WHERE status = 'sending' AND locked_at < :stale ON CONFLICT (id) DO NOTHING";
inline constexpr const char* kFailLostSends =
    "UPDATE push_notifications SET status = 'failed', error = :e, locked_by = NULL, locked_at = NULL, updated_at = "
    ":t WHERE status = 'sending' AND locked_at < :stale";
// Unclaimed (or claimed by a dead worker) rows whose TTL passed, or whose target is gone.
inline constexpr const char* kFailExpired =
    "UPDATE push_notifications SET status = 'failed', error = :e, locked_by = NULL, locked_at = NULL, updated_at = "
    ":t WHERE status = 'queued' AND expires_at <= :now AND (locked_at IS NULL OR locked_at < :stale)";
inline constexpr const char* kFailOrphans =
    "UPDATE push_notifications SET status = 'failed', error = :e, locked_by = NULL, locked_at = NULL, updated_at = "
    ":t WHERE status = 'queued' AND subscription_id IS NULL AND device_id IS NULL";
// SQLite: tx() holds the write lock (BEGIN IMMEDIATE), so select-then-update is atomic.
// PostgreSQL: SKIP LOCKED lets workers on every node take different rows without waiting.
inline constexpr const char* kDue =
    "SELECT id FROM push_notifications WHERE status = 'queued' AND next_attempt_at <= :now AND (locked_at IS NULL "
    "OR locked_at < :stale) ORDER BY next_attempt_at, id LIMIT :n";
inline constexpr const char* kSkipLocked = " FOR UPDATE SKIP LOCKED";
inline constexpr const char* kLease = "UPDATE push_notifications SET locked_by = :w, locked_at = :t WHERE id = :id";
inline constexpr const char* kStartSend =
    "UPDATE push_notifications SET status = 'sending', attempts = attempts + 1, locked_at = :t, updated_at = :t2 "
    "WHERE id = :id AND locked_by = :w AND status = 'queued'";
inline constexpr const char* kRelease =
    "UPDATE push_notifications SET locked_by = NULL, locked_at = NULL WHERE id = :id AND locked_by = :w AND "
    "status = 'queued'";
// The end of an attempt, only by the worker holding it.
inline constexpr const char* kFinishSent =
    "UPDATE push_notifications SET status = 'sent', http_status = :h, error = '', locked_by = NULL, locked_at = "
    "NULL, sent_at = :t, updated_at = :t2 WHERE id = :id AND locked_by = :w AND status = 'sending'";
inline constexpr const char* kFinishRetry =
    "UPDATE push_notifications SET status = 'queued', http_status = :h, error = :e, next_attempt_at = :n, "
    "locked_by = NULL, locked_at = NULL, updated_at = :t WHERE id = :id AND locked_by = :w AND status = 'sending'";
inline constexpr const char* kFinishFailed =
    "UPDATE push_notifications SET status = 'failed', http_status = :h, error = :e, locked_by = NULL, locked_at = "
    "NULL, updated_at = :t WHERE id = :id AND locked_by = :w AND status = 'sending'";
// Retention: settled rows (and their attempts, ON DELETE CASCADE) older than the cutoff.
inline constexpr const char* kPurgeSettled =
    "DELETE FROM push_notifications WHERE status IN ('sent', 'failed') AND updated_at < :cutoff";
inline constexpr const char* kInsertAttempt =
    "INSERT INTO push_attempts (id, push_id, attempt, worker, http_status, error, started_at, finished_at) VALUES "
    "(:id, :p, :a, :w, :h, :e, :s, :f)";

}  // namespace wp::push::sql
