#pragma once
// Every SQL text of the mobile store, and the column tables of its rows.
// Only the store's files include this. A row query is the text after the
// SELECT list (db::select_rows puts the list first).
#include "db/columns.hpp"
#include "modules/mobile/model.hpp"

namespace wp::mobile::sql {

// ---------------------------------------------------------------- devices

inline const db::Columns<DeviceRow> kDevice{
    {"id", &DeviceRow::id},
    {"user_id", &DeviceRow::user_id},
    {"device_id", &DeviceRow::device_id},
    {"name", &DeviceRow::name},
    {"platform", &DeviceRow::platform},
    {"model", &DeviceRow::model},
    {"os_version", &DeviceRow::os_version},
    {"app_version", &DeviceRow::app_version},
    {"push_token", &DeviceRow::push_token},
    {"push_enabled", &DeviceRow::push_enabled},
    {"settings", &DeviceRow::settings},
    {"disabled", &DeviceRow::disabled},
    {"session_id", &DeviceRow::session_id},
    {"created_at", &DeviceRow::created_at},
    {"updated_at", &DeviceRow::updated_at},
    {"last_active", &DeviceRow::last_active},
};

inline constexpr const char* kDeviceOfUser = "FROM mobile_devices WHERE user_id = :u AND id = :id";
inline constexpr const char* kDeviceByInstall = "FROM mobile_devices WHERE user_id = :u AND device_id = :d";
inline constexpr const char* kDevicesOf = "FROM mobile_devices WHERE user_id = :u ORDER BY created_at, id";
// Register or update by (user, install id); the name is kept when none is sent.
inline constexpr const char* kUpsertDevice =
    "INSERT INTO mobile_devices (id, user_id, device_id, name, platform, model, os_version, app_version, "
    "push_token, push_enabled, settings, disabled, session_id, created_at, updated_at, last_active) VALUES (:id, "
    ":u, :d, :n, :p, :m, :os, :av, :tk, :pe, :st, FALSE, :sid, :c, :up, :la) ON CONFLICT (user_id, device_id) DO "
    "UPDATE SET name = CASE WHEN excluded.name = '' THEN mobile_devices.name ELSE excluded.name END, platform = "
    "excluded.platform, model = excluded.model, os_version = excluded.os_version, app_version = "
    "excluded.app_version, push_token = excluded.push_token, push_enabled = excluded.push_enabled, settings = "
    "excluded.settings, session_id = excluded.session_id, updated_at = excluded.updated_at, last_active = "
    "excluded.last_active";
// A token re-registered elsewhere leaves every other row (any account).
inline constexpr const char* kReleaseToken =
    "UPDATE mobile_devices SET push_token = NULL WHERE push_token = :tk AND NOT (user_id = :u AND device_id = :d)";
inline constexpr const char* kUpdateDevice =
    "UPDATE mobile_devices SET name = :n, push_enabled = :pe, settings = :st, disabled = :dis, updated_at = :t "
    "WHERE id = :id AND user_id = :u";
inline constexpr const char* kDeleteDevice = "DELETE FROM mobile_devices WHERE id = :id AND user_id = :u";
inline constexpr const char* kClearToken = "UPDATE mobile_devices SET push_token = NULL WHERE id = :id";
// last_active moves at most once per interval.
inline constexpr const char* kTouchDevice =
    "UPDATE mobile_devices SET last_active = :t WHERE id = :id AND last_active <= :before";

// ---------------------------------------------------------------- the change log

inline const db::Columns<ChangeRow> kChange{
    {"record_id", &ChangeRow::record_id}, {"seq", &ChangeRow::seq},
    {"deleted", &ChangeRow::deleted},     {"payload", &ChangeRow::payload},
    {"changed_at", &ChangeRow::changed_at},
};

// SQLite: the writer holds the database's write lock (BEGIN IMMEDIATE), so
// a counter row bumped in the same transaction commits in sequence order.
inline constexpr const char* kBumpCounter = "UPDATE mobile_change_counter SET value = value + 1 WHERE id = 1";
inline constexpr const char* kCounter = "SELECT value FROM mobile_change_counter WHERE id = 1";
// PostgreSQL: nextval is not transactional; one writer per user at a time
// (until commit) makes a user's numbers commit in order, which is what a
// reader of that user's rows needs.
inline constexpr const char* kLockUser =
    "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(:u, 21))::text AS locked) l";
inline constexpr const char* kNextval = "SELECT nextval('mobile_change_seq')";

inline constexpr const char* kUpsertChange =
    "INSERT INTO mobile_changes (user_id, data_type, record_id, seq, deleted, payload, changed_at) VALUES (:u, "
    ":ty, :r, :s, :del, :p, :t) ON CONFLICT (user_id, data_type, record_id) DO UPDATE SET seq = excluded.seq, "
    "deleted = excluded.deleted, payload = excluded.payload, changed_at = excluded.changed_at";
inline constexpr const char* kChangesSince =
    "FROM mobile_changes WHERE user_id = :u AND data_type = :ty AND seq > :s ORDER BY seq LIMIT :n";
inline constexpr const char* kLiveRecords =
    "FROM mobile_changes WHERE user_id = :u AND data_type = :ty AND deleted = FALSE ORDER BY record_id";
inline constexpr const char* kRecord = "FROM mobile_changes WHERE user_id = :u AND data_type = :ty AND record_id = :r";

// ---- feeds of other modules (#21 sync feeds)
inline constexpr const char* kCountDevices = "SELECT COUNT(*) FROM mobile_devices WHERE user_id = :u";
// ---- end feeds

inline constexpr const char* kBatchResult = "SELECT result FROM mobile_sync_batches WHERE user_id = :u AND batch_id = :b";
inline constexpr const char* kInsertBatch =
    "INSERT INTO mobile_sync_batches (user_id, batch_id, result, created_at) VALUES (:u, :b, :r, :t)";

// ---------------------------------------------------------------- syncs (MobileSyncData)

inline const db::Columns<SyncRow> kSync{
    {"id", &SyncRow::id},
    {"user_id", &SyncRow::user_id},
    {"device_id", &SyncRow::device_id},
    {"sync_type", &SyncRow::sync_type},
    {"status", &SyncRow::status},
    {"data_types", &SyncRow::data_types},
    {"size_bytes", &SyncRow::size_bytes},
    {"records_count", &SyncRow::records_count},
    {"pages", &SyncRow::pages},
    {"last_request", &SyncRow::last_request},
    {"started_at", &SyncRow::started_at},
    {"completed_at", &SyncRow::completed_at},
    {"duration_ms", &SyncRow::duration_ms},
    {"error", &SyncRow::error},
    {"retry_count", &SyncRow::retry_count},
};

inline constexpr const char* kInsertSync =
    "INSERT INTO mobile_sync_data (id, user_id, device_id, sync_type, status, data_types, started_at) VALUES (:id, "
    ":u, :d, :ty, :st, :dt, :t)";
inline constexpr const char* kSyncOf = "FROM mobile_sync_data WHERE id = :id AND user_id = :u";
inline constexpr const char* kSyncsOf =
    "FROM mobile_sync_data WHERE user_id = :u ORDER BY started_at DESC, id DESC LIMIT :n";
inline constexpr const char* kSaveSync =
    "UPDATE mobile_sync_data SET status = :st, size_bytes = :sz, records_count = :rc, pages = :pg, last_request = "
    ":lr, completed_at = :ca, duration_ms = :dm, error = :e, retry_count = :rt WHERE id = :id";

// ---------------------------------------------------------------- the cursor key

inline constexpr const char* kInsertSecret =
    "INSERT INTO instance_settings (key, value, updated_at) VALUES (:k, :v, :t) ON CONFLICT (key) DO NOTHING";
inline constexpr const char* kSecret = "SELECT value FROM instance_settings WHERE key = :k";

}  // namespace wp::mobile::sql
