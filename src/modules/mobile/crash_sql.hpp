#pragma once
// The SQL of crash reports and app sessions; only store_crashes.cpp includes this.
#include "db/columns.hpp"
#include "modules/mobile/model.hpp"

namespace wp::mobile::sql {

inline const db::Columns<CrashGroupRow> kCrashGroup{
    {"id", &CrashGroupRow::id},
    {"signature", &CrashGroupRow::signature},
    {"platform", &CrashGroupRow::platform},
    {"title", &CrashGroupRow::title},
    {"status", &CrashGroupRow::status},
    {"fixed_in_version", &CrashGroupRow::fixed_in_version},
    {"count", &CrashGroupRow::count},
    {"first_seen", &CrashGroupRow::first_seen},
    {"last_seen", &CrashGroupRow::last_seen},
};
inline const db::Columns<CrashVersionRow> kCrashVersion{{"app_version", &CrashVersionRow::app_version},
                                                        {"count", &CrashVersionRow::count}};
inline const db::Columns<CrashRow> kCrash{
    {"id", &CrashRow::id},
    {"group_id", &CrashRow::group_id},
    {"user_id", &CrashRow::user_id},
    {"platform", &CrashRow::platform},
    {"app_version", &CrashRow::app_version},
    {"os_version", &CrashRow::os_version},
    {"device_model", &CrashRow::device_model},
    {"stack_trace", &CrashRow::stack_trace},
    {"breadcrumbs", &CrashRow::breadcrumbs},
    {"occurred_at", &CrashRow::occurred_at},
    {"received_at", &CrashRow::received_at},
};
inline const db::Columns<PlatformFigures> kFigures{
    {"platform", &PlatformFigures::platform},
    {"COUNT(DISTINCT device_id)", &PlatformFigures::active_devices},
    {"COUNT(*)", &PlatformFigures::sessions},
    {"SUM(CASE WHEN crashed THEN 1 ELSE 0 END)", &PlatformFigures::crashed_sessions},
};

// Two first reports at once meet on the unique signature: the loser inserts nothing and reads the winner's.
inline constexpr const char* kInsertCrashGroup =
    "INSERT INTO mobile_crash_groups (id, signature, platform, title, status, count, first_seen, last_seen) VALUES "
    "(:id, :s, :p, :ti, 'open', 0, :t, :t2) ON CONFLICT (signature) DO NOTHING";
inline constexpr const char* kCrashGroupBySignature = "FROM mobile_crash_groups WHERE signature = :s";
inline constexpr const char* kForUpdate = " FOR UPDATE";
inline constexpr const char* kCountCrash =
    "UPDATE mobile_crash_groups SET count = count + 1, last_seen = :t, status = :st WHERE id = :id";
inline constexpr const char* kCountCrashVersion =
    "INSERT INTO mobile_crash_versions (group_id, app_version, count) VALUES (:g, :v, 1) ON CONFLICT (group_id, "
    "app_version) DO UPDATE SET count = mobile_crash_versions.count + 1";
inline constexpr const char* kInsertCrash =
    "INSERT INTO mobile_crashes (id, group_id, user_id, platform, app_version, os_version, device_model, "
    "stack_trace, breadcrumbs, occurred_at, received_at) VALUES (:id, :g, :u, :p, :av, :os, :dm, :st, :bc, :o, :r)";
inline constexpr const char* kCrashGroups = "FROM mobile_crash_groups";
inline constexpr const char* kCrashGroupsWithStatus = "FROM mobile_crash_groups WHERE status = :st";
inline constexpr const char* kCrashGroupsOrder = " ORDER BY last_seen DESC, id LIMIT :lim OFFSET :off";
inline constexpr const char* kCountCrashGroups = "SELECT COUNT(*) FROM mobile_crash_groups";
inline constexpr const char* kCountCrashGroupsWithStatus = "SELECT COUNT(*) FROM mobile_crash_groups WHERE status = :st";
inline constexpr const char* kCrashGroupById = "FROM mobile_crash_groups WHERE id = :id";
inline constexpr const char* kCrashVersionsOf =
    "FROM mobile_crash_versions WHERE group_id = :g ORDER BY count DESC, app_version";
inline constexpr const char* kRecentCrashesOf =
    "FROM mobile_crashes WHERE group_id = :g ORDER BY received_at DESC, id LIMIT :n";
inline constexpr const char* kMarkFixed =
    "UPDATE mobile_crash_groups SET status = 'fixed', fixed_in_version = :v WHERE id = :id";

// A session is written again as it goes on (end, screens, a crash); only by the device that began it.
inline constexpr const char* kUpsertSession =
    "INSERT INTO mobile_sessions (id, user_id, device_id, platform, app_version, network_type, started_at, "
    "ended_at, screen_views, crashed) VALUES (:id, :u, :d, :p, :av, :nt, :s, :e, :sv, :c) ON CONFLICT (id) DO "
    "UPDATE SET ended_at = excluded.ended_at, screen_views = excluded.screen_views, crashed = excluded.crashed, "
    "network_type = excluded.network_type WHERE mobile_sessions.device_id = excluded.device_id";
inline constexpr const char* kFiguresSince =
    "FROM mobile_sessions WHERE started_at >= :since GROUP BY platform ORDER BY platform";

}  // namespace wp::mobile::sql
