#include "modules/moderation/store.hpp"

#include <soci/soci.h>

#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/kept.hpp"
#include "db/soci_optional.hpp"
#include "modules/moderation/sql.hpp"

namespace wp::moderation {

using soci::use;

struct Store::Kept {
  explicit Kept(db::Database& db) : standing(db, sql::kStanding, sql::kStandingOf) {}
  db::KeptSelect<StandingRow, std::string> standing;
};

Store::Store(db::Database& db) : db_(db), kept_(std::make_unique<Kept>(db)) {}
Store::~Store() = default;

namespace {

template <class E>
std::string text(E e) {
  return std::string(to_string(e));
}

std::string report_where(const ReportFilter& f, db::NamedParams& p) {
  std::string where;
  if (f.status) where += sql::kWithStatus, p.add("st", text(*f.status));
  if (f.content_type) where += sql::kWithType, p.add("ct", text(*f.content_type));
  if (f.object_id) where += sql::kWithObject, p.add("o", *f.object_id);
  return where;
}

auto paged(db::NamedParams& p, const Window& w) {
  return [&p, &w](soci::statement& st) {
    p.bind(st);
    st.exchange(use(w.limit, "lim"));
    st.exchange(use(w.offset, "off"));
  };
}

void insert_action_in(soci::session& s, const ActionRow& a) {
  std::string action = text(a.action);
  std::optional<std::string> type;
  if (a.content_type) type = text(*a.content_type);
  std::optional<long long> duration, ends;
  if (a.duration_s) duration = *a.duration_s;
  if (a.ends_at) ends = *a.ends_at;
  long long t = a.created_at;
  s << sql::kInsertAction, use(a.id), use(action), use(a.user_id), use(a.staff_id), use(type), use(a.object_id),
      use(a.report_id), use(a.reason), use(duration), use(ends), use(t);
}

}  // namespace

// ---------------------------------------------------------------- reports

void Store::insert_report(const ReportRow& r) {
  std::string type = text(r.content_type), report_type = text(r.report_type);
  long long t = r.created_at, t2 = r.updated_at;
  db_.with([&](soci::session& s) {
    s << sql::kInsertReport, use(r.id), use(r.reporter_id), use(type), use(r.object_id), use(r.owner_id),
        use(report_type), use(r.description), use(t), use(t2);
  });
}

std::optional<ReportRow> Store::report(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kReport, sql::kReportById, db::uses(id)); });
}

std::vector<ReportRow> Store::reports(const ReportFilter& f, const Window& w) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string rest = sql::kReportsFrom + report_where(f, p) + sql::kNewestFirst;
    return db::select_rows(s, sql::kReport, rest, paged(p, w));
  });
}

long long Store::count_reports(const ReportFilter& f) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string q = std::string(sql::kCount) + sql::kReportsFrom + report_where(f, p);
    return db::fetch_count(s, q, [&](soci::statement& st) { p.bind(st); });
  });
}

std::vector<ReportRow> Store::reports_of_reporter(const std::string& reporter_id, const Window& w) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    p.add("r", reporter_id);
    return db::select_rows(s, sql::kReport, std::string(sql::kReportsOfReporter) + sql::kNewestFirst, paged(p, w));
  });
}

std::vector<ReportRow> Store::open_reports_of(ContentType type, const std::string& object_id) {
  std::string ct = text(type);
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kReport, sql::kOpenReportsOf, db::uses(ct, object_id)); });
}

void Store::update_report(const ReportRow& r) {
  std::string status = text(r.status);
  long long t = r.updated_at;
  std::optional<long long> resolved;
  if (r.resolved_at) resolved = *r.resolved_at;
  db_.with([&](soci::session& s) {
    s << sql::kUpdateReport, use(status), use(r.admin_notes), use(t), use(resolved), use(r.resolved_by), use(r.id);
  });
}

long long Store::resolve_object(ContentType type, const std::string& object_id, ReportStatus status,
                                const std::string& staff_id, std::int64_t now) {
  std::string ct = text(type), st = text(status);
  std::string flag_status = text(status == ReportStatus::dismissed ? FlagStatus::dismissed : FlagStatus::actioned);
  long long t = now, t2 = now;
  return db_.tx([&](soci::session& s) {
    soci::statement reports = (s.prepare << sql::kResolveReportsOf, use(st), use(t), use(t2), use(staff_id), use(ct),
                               use(object_id));
    auto n = db::execute_counting(reports);
    s << sql::kResolveFlagsOf, use(flag_status), use(t), use(ct), use(object_id);
    return n;
  });
}

// ---------------------------------------------------------------- queue and flags

std::vector<QueueRow> Store::queue(std::optional<ContentType> type, const Window& w) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string rest = sql::kQueueFrom;
    if (type) rest += sql::kQueueOfType, p.add("ct", text(*type));
    rest += sql::kQueueGroup;
    return db::select_rows(s, sql::kQueue, rest, paged(p, w));
  });
}

long long Store::count_queue(std::optional<ContentType> type) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string q = std::string(sql::kQueueCount) + sql::kQueueFrom;
    if (type) q += sql::kQueueOfType, p.add("ct", text(*type));
    q += sql::kQueueCountEnd;
    return db::fetch_count(s, q, [&](soci::statement& st) { p.bind(st); });
  });
}

std::vector<FlagRow> Store::open_flags_of(ContentType type, const std::string& object_id) {
  std::string ct = text(type);
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kFlag, sql::kOpenFlagsOf, db::uses(ct, object_id)); });
}

std::vector<FlagRow> Store::flags(std::optional<FlagStatus> status, const Window& w) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string rest = sql::kFlagsFrom;
    if (status) rest += sql::kWithStatus, p.add("st", text(*status));
    rest += sql::kNewestFirst;
    return db::select_rows(s, sql::kFlag, rest, paged(p, w));
  });
}

void Store::insert_flag(const FlagRow& f) {
  std::string ct = text(f.content_type), sg = text(f.signal);
  long long t = f.created_at;
  db_.with([&](soci::session& s) {
    s << sql::kInsertFlag, use(f.id), use(ct), use(f.object_id), use(f.user_id), use(sg), use(f.detail),
        use(f.excerpt), use(t);
  });
}

// ---------------------------------------------------------------- actions and standing

void Store::insert_action(const ActionRow& a) {
  db_.with([&](soci::session& s) { insert_action_in(s, a); });
}

std::optional<ActionRow> Store::action(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kAction, sql::kActionById, db::uses(id)); });
}

std::vector<ActionRow> Store::actions(const std::optional<std::string>& user_id, const Window& w) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string rest = sql::kActionsFrom;
    if (user_id) rest += sql::kWithUser, p.add("u", *user_id);
    rest += sql::kNewestFirst;
    return db::select_rows(s, sql::kAction, rest, paged(p, w));
  });
}

long long Store::count_actions(const std::optional<std::string>& user_id) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string q = std::string(sql::kCount) + sql::kActionsFrom;
    if (user_id) q += sql::kWithUser, p.add("u", *user_id);
    return db::fetch_count(s, q, [&](soci::statement& st) { p.bind(st); });
  });
}

void Store::record_standing_action(const ActionRow& a) {
  long long t = a.created_at;
  const std::string& user = *a.user_id;
  db_.tx([&](soci::session& s) {
    insert_action_in(s, a);
    s << sql::kEnsureStanding, use(user), use(t);
    std::optional<long long> until;
    if (a.ends_at) until = *a.ends_at;
    switch (a.action) {
      case ActionType::warn: s << sql::kAddWarning, use(t), use(user); break;
      case ActionType::mute: s << sql::kSetMute, use(until), use(t), use(user); break;
      case ActionType::suspend: s << sql::kSetSuspension, use(until), use(t), use(user); break;
      case ActionType::ban: s << sql::kSetBanned, use(t), use(user); break;
      case ActionType::lift: s << sql::kClearStanding, use(t), use(user); break;
      case ActionType::remove_content: break;
    }
  });
}

std::optional<StandingRow> Store::standing(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return kept_->standing.one(s, user_id); });
}

std::vector<std::string> Store::user_ids_in(StandingState state, std::int64_t now) {
  long long t = now, t2 = now;
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    auto collect = [&out](soci::rowset<std::string>& rows) {
      for (auto& id : rows) out.push_back(id);
    };
    if (state == StandingState::banned) {
      soci::rowset<std::string> rows = (s.prepare << sql::kBannedIds);
      collect(rows);
    } else if (state == StandingState::suspended) {
      soci::rowset<std::string> rows = (s.prepare << sql::kSuspendedIds, use(t));
      collect(rows);
    } else if (state == StandingState::muted) {
      soci::rowset<std::string> rows = (s.prepare << sql::kMutedIds, use(t), use(t2));
      collect(rows);
    }
    return out;
  });
}

// ---------------------------------------------------------------- tombstones

std::optional<TombstoneRow> Store::tombstone(ContentType type, const std::string& object_id) {
  std::string ct = text(type);
  return db_.with([&](soci::session& s) {
    return db::select_one(s, sql::kTombstone, sql::kTombstoneOf, db::uses(ct, object_id));
  });
}

bool Store::record_removal(const ActionRow& a, const TombstoneRow& t) {
  std::string ct = text(t.content_type);
  long long at = t.removed_at;
  return db_.tx([&](soci::session& s) {
    if (db::select_one(s, sql::kTombstone, sql::kTombstoneOf, db::uses(ct, t.object_id))) return false;
    insert_action_in(s, a);
    s << sql::kInsertTombstone, use(ct), use(t.object_id), use(t.snapshot), use(t.action_id), use(at);
    return true;
  });
}

bool Store::record_restore(const ActionRow& a) {
  std::string ct = text(*a.content_type);
  const std::string& object_id = *a.object_id;
  return db_.tx([&](soci::session& s) {
    soci::statement del = (s.prepare << sql::kDeleteTombstone, use(ct), use(object_id));
    if (db::execute_counting(del) == 0) return false;
    insert_action_in(s, a);
    return true;
  });
}

}  // namespace wp::moderation
