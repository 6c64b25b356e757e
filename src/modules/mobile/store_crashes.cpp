// The mobile store's crash reports and app sessions (the SQL is in crash_sql.hpp).
#include <soci/soci.h>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/mobile/crash_sql.hpp"
#include "modules/mobile/store.hpp"

namespace wp::mobile {

using soci::use;

CrashGroupRow Store::record_crash(const CrashRow& c, const std::string& signature, const std::string& title,
                                  const std::function<bool(const CrashGroupRow&)>& regresses) {
  return db_.tx([&](soci::session& s) {
    long long t = c.received_at;
    std::string id = new_uuid();
    s << sql::kInsertCrashGroup, use(id), use(signature), use(c.platform), use(title), use(t), use(t);
    std::string rest = sql::kCrashGroupBySignature;
    if (db_.dialect() == db::Dialect::postgresql) rest += sql::kForUpdate;
    auto group = *db::select_one(s, sql::kCrashGroup, rest, db::uses(signature));
    if (group.status == CrashStatus::fixed && regresses(group)) group.status = CrashStatus::regressed;
    ++group.count;
    group.last_seen = c.received_at;
    std::string status(to_string(group.status));
    s << sql::kCountCrash, use(t), use(status), use(group.id);
    s << sql::kCountCrashVersion, use(group.id), use(c.app_version);
    long long occurred = c.occurred_at;
    s << sql::kInsertCrash, use(c.id), use(group.id), use(c.user_id), use(c.platform), use(c.app_version),
        use(c.os_version), use(c.device_model), use(c.stack_trace), use(c.breadcrumbs), use(occurred), use(t);
    return group;
  });
}

std::vector<CrashGroupRow> Store::crash_groups(const std::optional<CrashStatus>& status, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    if (!status)
      return db::select_rows(s, sql::kCrashGroup, std::string(sql::kCrashGroups) + sql::kCrashGroupsOrder,
                             db::uses(limit, offset));
    std::string st(to_string(*status));
    return db::select_rows(s, sql::kCrashGroup, std::string(sql::kCrashGroupsWithStatus) + sql::kCrashGroupsOrder,
                           db::uses(st, limit, offset));
  });
}

long long Store::count_crash_groups(const std::optional<CrashStatus>& status) {
  return db_.with([&](soci::session& s) {
    if (!status) return db::fetch_count(s, sql::kCountCrashGroups, [](soci::statement&) {});
    std::string st(to_string(*status));
    return db::fetch_count(s, sql::kCountCrashGroupsWithStatus, db::uses(st));
  });
}

std::optional<CrashGroupRow> Store::crash_group(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kCrashGroup, sql::kCrashGroupById, db::uses(id)); });
}

std::vector<CrashVersionRow> Store::crash_versions(const std::string& group_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kCrashVersion, sql::kCrashVersionsOf, db::uses(group_id)); });
}

std::vector<CrashRow> Store::recent_crashes(const std::string& group_id, int limit) {
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kCrash, sql::kRecentCrashesOf, db::uses(group_id, limit)); });
}

bool Store::mark_fixed(const std::string& id, const std::string& version) {
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kMarkFixed, use(version), use(id));
    return db::execute_counting(st) > 0;
  });
}

bool Store::upsert_session(const SessionRow& r) {
  return db_.with([&](soci::session& s) {
    long long started = r.started_at;
    std::optional<long long> ended;
    if (r.ended_at) ended = *r.ended_at;
    int crashed = r.crashed;
    soci::statement st = (s.prepare << sql::kUpsertSession, use(r.id), use(r.user_id), use(r.device_id),
                          use(r.platform), use(r.app_version), use(r.network_type), use(started), use(ended),
                          use(r.screen_views), use(crashed));
    return db::execute_counting(st) > 0;
  });
}

std::vector<PlatformFigures> Store::figures_since(std::int64_t since) {
  long long t = since;
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kFigures, sql::kFiguresSince, db::uses(t)); });
}

}  // namespace wp::mobile
