#pragma once
// Every SQL text of the admin store, and the column tables of its rows.
// Only store.cpp includes this. A row query is the text after the SELECT list.
#include "db/columns.hpp"
#include "modules/admin/model.hpp"

namespace wp::admin::sql {

// ---------------------------------------------------------------- system logs

inline const db::Columns<SystemLogRow> kSystemLog{
    {"l.id", &SystemLogRow::id},
    {"l.level", &SystemLogRow::level},
    {"l.category", &SystemLogRow::category},
    {"l.message", &SystemLogRow::message},
    {"CAST(l.context AS TEXT)", &SystemLogRow::context},
    {"l.user_id", &SystemLogRow::user_id},
    {"u.username", &SystemLogRow::username},
    {"l.created_at", &SystemLogRow::created_at},
};

inline constexpr const char* kInsertLog =
    "INSERT INTO system_logs (id, level, category, message, context, user_id, created_at) "
    "VALUES (:id, :lv, :c, :m, :x, :u, :t)";
inline constexpr const char* kLogsFrom = "FROM system_logs l LEFT JOIN users u ON u.id = l.user_id WHERE 1 = 1";
inline constexpr const char* kLogLevel = " AND l.level = :level";
inline constexpr const char* kLogCategory = " AND l.category = :category";
inline constexpr const char* kLogUser = " AND l.user_id = :user_id";
inline constexpr const char* kLogSearch = " AND LOWER(l.message) LIKE :search ESCAPE '\\'";
inline constexpr const char* kLogSince = " AND l.created_at >= CAST(:since AS BIGINT)";
inline constexpr const char* kLogUntil = " AND l.created_at < CAST(:until AS BIGINT)";
inline constexpr const char* kNewestFirst = " ORDER BY l.created_at DESC, l.id DESC LIMIT :lim OFFSET :off";
inline constexpr const char* kCount = "SELECT COUNT(*) ";
inline constexpr const char* kPruneLogs = "DELETE FROM system_logs WHERE created_at < :t";

// ---------------------------------------------------------------- error logs

inline const db::Columns<ErrorLogRow> kErrorLog{
    {"signature", &ErrorLogRow::signature},
    {"method", &ErrorLogRow::method},
    {"route", &ErrorLogRow::route},
    {"message", &ErrorLogRow::message},
    {"count", &ErrorLogRow::count},
    {"first_seen", &ErrorLogRow::first_seen},
    {"last_seen", &ErrorLogRow::last_seen},
    {"last_request_id", &ErrorLogRow::last_request_id},
    {"last_user_id", &ErrorLogRow::last_user_id},
};

// One statement counts a signature on every node at once (the unique key decides).
inline constexpr const char* kUpsertError =
    "INSERT INTO error_logs (signature, method, route, message, count, first_seen, last_seen, last_request_id, "
    "last_user_id) VALUES (:s, :m, :r, :msg, 1, :t, :t2, :rid, :u) ON CONFLICT (signature) DO UPDATE SET "
    "count = error_logs.count + 1, last_seen = excluded.last_seen, last_request_id = excluded.last_request_id, "
    "last_user_id = excluded.last_user_id";
inline constexpr const char* kInsertOccurrence =
    "INSERT INTO error_occurrences (id, signature, request_id, user_id, created_at) VALUES (:id, :s, :rid, :u, :t)";
inline constexpr const char* kErrorsFrom = "FROM error_logs";
inline constexpr const char* kErrorsByLastSeen = " ORDER BY last_seen DESC, signature LIMIT :lim OFFSET :off";
inline constexpr const char* kErrorBySignature = "FROM error_logs WHERE signature = :s";
inline constexpr const char* kOccurrenceIds =
    "SELECT request_id FROM error_occurrences WHERE signature = :s ORDER BY created_at DESC, id DESC LIMIT :lim";
inline constexpr const char* kPruneOccurrences = "DELETE FROM error_occurrences WHERE created_at < :t";
inline constexpr const char* kPruneErrors = "DELETE FROM error_logs WHERE last_seen < :t";

// ---------------------------------------------------------------- performance metrics

inline const db::Columns<MetricPoint> kMetric{
    {"node_id", &MetricPoint::node_id},
    {"name", &MetricPoint::name},
    {"label", &MetricPoint::label},
    {"value", &MetricPoint::value},
    {"taken_at", &MetricPoint::taken_at},
};

inline constexpr const char* kInsertMetric =
    "INSERT INTO performance_metrics (node_id, name, label, value, taken_at) VALUES (:n, :name, :l, :v, :t)";
inline constexpr const char* kSeries =
    "FROM performance_metrics WHERE name = :name AND taken_at >= :since AND taken_at < :until "
    "ORDER BY taken_at, node_id, label";
inline constexpr const char* kSeriesNames =
    "SELECT DISTINCT name FROM performance_metrics WHERE taken_at >= :since ORDER BY name";
inline constexpr const char* kPruneMetrics = "DELETE FROM performance_metrics WHERE taken_at < :t";

// ---------------------------------------------------------------- broadcasts

inline const db::Columns<BroadcastRow> kBroadcast{
    {"id", &BroadcastRow::id},
    {"created_by", &BroadcastRow::created_by},
    {"message", &BroadcastRow::message},
    {"severity", &BroadcastRow::severity},
    {"audience", &BroadcastRow::audience},
    {"plan_id", &BroadcastRow::plan},
    {"expires_at", &BroadcastRow::expires_at},
    {"notification_broadcast_id", &BroadcastRow::notification_broadcast_id},
    {"created_at", &BroadcastRow::created_at},
};
inline const db::Columns<DeliveryRow> kDelivery{
    {"node_id", &DeliveryRow::node_id},
    {"sockets", &DeliveryRow::sockets},
    {"delivered_at", &DeliveryRow::delivered_at},
};

inline constexpr const char* kInsertBroadcast =
    "INSERT INTO admin_broadcasts (id, created_by, message, severity, audience, plan_id, expires_at, created_at) "
    "VALUES (:id, :by, :m, :s, :a, :p, :e, :t)";
inline constexpr const char* kSetNotificationBroadcast =
    "UPDATE admin_broadcasts SET notification_broadcast_id = :n WHERE id = :id";
inline constexpr const char* kBroadcastById = "FROM admin_broadcasts WHERE id = :id";
inline constexpr const char* kBroadcastsNewestFirst =
    "FROM admin_broadcasts ORDER BY created_at DESC, id DESC LIMIT :lim OFFSET :off";
inline constexpr const char* kBroadcastsActive =
    "FROM admin_broadcasts WHERE expires_at IS NOT NULL AND expires_at > :t ORDER BY created_at DESC, id DESC";
inline constexpr const char* kCountBroadcasts = "SELECT COUNT(*) FROM admin_broadcasts";
inline constexpr const char* kUpsertDelivery =
    "INSERT INTO admin_broadcast_deliveries (broadcast_id, node_id, sockets, delivered_at) VALUES (:b, :n, :s, :t) "
    "ON CONFLICT (broadcast_id, node_id) DO UPDATE SET sockets = excluded.sockets, delivered_at = excluded.delivered_at";
inline constexpr const char* kDeliveries =
    "FROM admin_broadcast_deliveries WHERE broadcast_id = :b ORDER BY node_id";

// ---------------------------------------------------------------- queue depths
// Health reads the other modules' queue tables, counts only (as lists read
// other tables to filter): what is waiting, by queue.
inline constexpr const char* kQueueVideos =
    "SELECT COUNT(*) FROM video_processing_jobs WHERE status IN ('queued', 'running')";
inline constexpr const char* kQueueMail = "SELECT COUNT(*) FROM email_notifications WHERE status IN ('queued', 'sending')";
inline constexpr const char* kQueuePush = "SELECT COUNT(*) FROM push_notifications WHERE status IN ('queued', 'sending')";
inline constexpr const char* kQueueBroadcasts =
    "SELECT COUNT(*) FROM notification_broadcasts WHERE status IN ('queued', 'running')";

}  // namespace wp::admin::sql
