#pragma once
// Every SQL text of the moderation store and the column tables of its rows.
// Only store.cpp includes this. A row query is the text after the SELECT list.
#include "db/columns.hpp"
#include "modules/moderation/model.hpp"

namespace wp::moderation::sql {

inline const db::Columns<ReportRow> kReport{
    {"id", &ReportRow::id},
    {"reporter_id", &ReportRow::reporter_id},
    {"content_type", &ReportRow::content_type},
    {"object_id", &ReportRow::object_id},
    {"owner_id", &ReportRow::owner_id},
    {"report_type", &ReportRow::report_type},
    {"description", &ReportRow::description},
    {"status", &ReportRow::status},
    {"admin_notes", &ReportRow::admin_notes},
    {"created_at", &ReportRow::created_at},
    {"updated_at", &ReportRow::updated_at},
    {"resolved_at", &ReportRow::resolved_at},
    {"resolved_by", &ReportRow::resolved_by},
};

inline const db::Columns<ActionRow> kAction{
    {"id", &ActionRow::id},
    {"action", &ActionRow::action},
    {"user_id", &ActionRow::user_id},
    {"staff_id", &ActionRow::staff_id},
    {"content_type", &ActionRow::content_type},
    {"object_id", &ActionRow::object_id},
    {"report_id", &ActionRow::report_id},
    {"reason", &ActionRow::reason},
    {"duration_s", &ActionRow::duration_s},
    {"ends_at", &ActionRow::ends_at},
    {"created_at", &ActionRow::created_at},
};

inline const db::Columns<StandingRow> kStanding{
    {"user_id", &StandingRow::user_id},
    {"muted_until", &StandingRow::muted_until},
    {"suspended_until", &StandingRow::suspended_until},
    {"banned", &StandingRow::banned},
    {"warnings", &StandingRow::warnings},
    {"updated_at", &StandingRow::updated_at},
};

inline const db::Columns<FlagRow> kFlag{
    {"id", &FlagRow::id},
    {"content_type", &FlagRow::content_type},
    {"object_id", &FlagRow::object_id},
    {"user_id", &FlagRow::user_id},
    {"signal", &FlagRow::signal},
    {"detail", &FlagRow::detail},
    {"excerpt", &FlagRow::excerpt},
    {"status", &FlagRow::status},
    {"created_at", &FlagRow::created_at},
    {"resolved_at", &FlagRow::resolved_at},
};

inline const db::Columns<TombstoneRow> kTombstone{
    {"content_type", &TombstoneRow::content_type},
    {"object_id", &TombstoneRow::object_id},
    {"snapshot", &TombstoneRow::snapshot},
    {"action_id", &TombstoneRow::action_id},
    {"removed_at", &TombstoneRow::removed_at},
};

inline const db::Columns<QueueRow> kQueue{
    {"x.content_type", &QueueRow::content_type},
    {"x.object_id", &QueueRow::object_id},
    {"SUM(x.r)", &QueueRow::reports},
    {"SUM(x.f)", &QueueRow::flags},
    {"MIN(x.created_at)", &QueueRow::first_at},
    {"MAX(x.created_at)", &QueueRow::last_at},
};

// ---------------------------------------------------------------- reports

inline constexpr const char* kInsertReport =
    "INSERT INTO content_reports (id, reporter_id, content_type, object_id, owner_id, report_type, description, "
    "status, admin_notes, created_at, updated_at) VALUES (:id, :r, :ct, :o, :ow, :rt, :d, 'open', '', :t, :t2)";
inline constexpr const char* kReportById = "FROM content_reports WHERE id = :id";
inline constexpr const char* kReportsFrom = "FROM content_reports WHERE 1 = 1";
// The filters of the staff lists, appended to a FROM ... WHERE 1 = 1.
inline constexpr const char* kWithStatus = " AND status = :st";
inline constexpr const char* kWithType = " AND content_type = :ct";
inline constexpr const char* kWithObject = " AND object_id = :o";
inline constexpr const char* kWithUser = " AND user_id = :u";
inline constexpr const char* kCount = "SELECT COUNT(*) ";
inline constexpr const char* kReportsOfReporter = "FROM content_reports WHERE reporter_id = :r";
inline constexpr const char* kNewestFirst = " ORDER BY created_at DESC, id LIMIT :lim OFFSET :off";
inline constexpr const char* kOpenReportsOf =
    "FROM content_reports WHERE content_type = :ct AND object_id = :o AND status IN ('open', 'reviewing') "
    "ORDER BY created_at, id";
inline constexpr const char* kUpdateReport =
    "UPDATE content_reports SET status = :s, admin_notes = :n, updated_at = :t, resolved_at = :ra, "
    "resolved_by = :rb WHERE id = :id";
inline constexpr const char* kResolveReportsOf =
    "UPDATE content_reports SET status = :s, updated_at = :t, resolved_at = :t2, resolved_by = :rb WHERE "
    "content_type = :ct AND object_id = :o AND status IN ('open', 'reviewing')";
inline constexpr const char* kResolveFlagsOf =
    "UPDATE content_flags SET status = :s, resolved_at = :t WHERE content_type = :ct AND object_id = :o AND "
    "status = 'open'";

// ---------------------------------------------------------------- queue

// Open reports and open flags, one row per object, most reported first.
inline constexpr const char* kQueueFrom =
    "FROM (SELECT content_type, object_id, 1 AS r, 0 AS f, created_at FROM content_reports WHERE status IN "
    "('open', 'reviewing') UNION ALL SELECT content_type, object_id, 0, 1, created_at FROM content_flags WHERE "
    "status = 'open') x";
inline constexpr const char* kQueueOfType = " WHERE x.content_type = :ct";
inline constexpr const char* kQueueGroup =
    " GROUP BY x.content_type, x.object_id ORDER BY COUNT(*) DESC, MIN(x.created_at), x.object_id "
    "LIMIT :lim OFFSET :off";
inline constexpr const char* kQueueCount = "SELECT COUNT(*) FROM (SELECT x.content_type, x.object_id ";
inline constexpr const char* kQueueCountEnd = " GROUP BY x.content_type, x.object_id) y";
inline constexpr const char* kOpenFlagsOf =
    "FROM content_flags WHERE content_type = :ct AND object_id = :o AND status = 'open' ORDER BY created_at, id";
inline constexpr const char* kFlagsFrom = "FROM content_flags WHERE 1 = 1";

// ---------------------------------------------------------------- actions and standing

inline constexpr const char* kInsertAction =
    "INSERT INTO moderation_actions (id, action, user_id, staff_id, content_type, object_id, report_id, reason, "
    "duration_s, ends_at, created_at) VALUES (:id, :a, :u, :s, :ct, :o, :r, :re, :d, :e, :t)";
inline constexpr const char* kActionById = "FROM moderation_actions WHERE id = :id";
inline constexpr const char* kActionsFrom = "FROM moderation_actions WHERE 1 = 1";

inline constexpr const char* kStandingOf = "FROM user_standing WHERE user_id = :u";
inline constexpr const char* kEnsureStanding =
    "INSERT INTO user_standing (user_id, updated_at) VALUES (:u, :t) ON CONFLICT (user_id) DO NOTHING";
inline constexpr const char* kSetMute = "UPDATE user_standing SET muted_until = :m, updated_at = :t WHERE user_id = :u";
inline constexpr const char* kSetSuspension =
    "UPDATE user_standing SET suspended_until = :s, updated_at = :t WHERE user_id = :u";
inline constexpr const char* kSetBanned = "UPDATE user_standing SET banned = TRUE, updated_at = :t WHERE user_id = :u";
inline constexpr const char* kAddWarning =
    "UPDATE user_standing SET warnings = warnings + 1, updated_at = :t WHERE user_id = :u";
inline constexpr const char* kClearStanding =
    "UPDATE user_standing SET muted_until = NULL, suspended_until = NULL, banned = FALSE, updated_at = :t WHERE "
    "user_id = :u";
// Users whose standing is muted / suspended / banned at :now.
inline constexpr const char* kMutedIds =
    "SELECT user_id FROM user_standing WHERE muted_until > :now AND banned = FALSE AND "
    "(suspended_until IS NULL OR suspended_until <= :now2)";
inline constexpr const char* kSuspendedIds =
    "SELECT user_id FROM user_standing WHERE suspended_until > :now AND banned = FALSE";
inline constexpr const char* kBannedIds = "SELECT user_id FROM user_standing WHERE banned = TRUE";

// ---------------------------------------------------------------- tombstones and flags

inline constexpr const char* kTombstoneOf = "FROM content_tombstones WHERE content_type = :ct AND object_id = :o";
inline constexpr const char* kInsertTombstone =
    "INSERT INTO content_tombstones (content_type, object_id, snapshot, action_id, removed_at) VALUES (:ct, :o, "
    ":s, :a, :t)";
inline constexpr const char* kDeleteTombstone =
    "DELETE FROM content_tombstones WHERE content_type = :ct AND object_id = :o";
inline constexpr const char* kInsertFlag =
    "INSERT INTO content_flags (id, content_type, object_id, user_id, signal, detail, excerpt, status, created_at) "
    "VALUES (:id, :ct, :o, :u, :sg, :d, :e, 'open', :t)";

}  // namespace wp::moderation::sql
