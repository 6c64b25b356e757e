#include "modules/admin/store.hpp"

#include <soci/soci.h>

#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/admin/sql.hpp"

namespace wp::admin {

using soci::use;

namespace {

long long delete_before(db::Database& db, const char* text, std::int64_t before) {
  long long t = before;
  return db.with([&](soci::session& s) {
    soci::statement st = (s.prepare << text, use(t));
    return db::execute_counting(st);
  });
}

}  // namespace

// ---------------------------------------------------------------- system logs

void Store::insert_log(const SystemLogRow& r) {
  std::string level(to_string(r.level)), category(to_string(r.category));
  long long t = r.created_at;
  db_.with([&](soci::session& s) {
    s << sql::kInsertLog, use(r.id), use(level), use(category), use(r.message), use(r.context), use(r.user_id),
        use(t);
  });
}

std::vector<SystemLogRow> Store::logs(const LogFilter& f, int limit, int offset, long long& count) {
  std::string where = sql::kLogsFrom;
  db::NamedParams params;
  if (f.level) {
    where += sql::kLogLevel;
    params.add("level", std::string(to_string(*f.level)));
  }
  if (f.category) {
    where += sql::kLogCategory;
    params.add("category", std::string(to_string(*f.category)));
  }
  if (f.user_id) {
    where += sql::kLogUser;
    params.add("user_id", *f.user_id);
  }
  if (!f.search.empty()) {
    where += sql::kLogSearch;
    params.add("search", db::like_pattern(f.search));
  }
  if (f.since) {
    where += sql::kLogSince;
    params.add("since", std::to_string(*f.since));
  }
  if (f.until) {
    where += sql::kLogUntil;
    params.add("until", std::to_string(*f.until));
  }
  return db_.with([&](soci::session& s) {
    count = db::fetch_count(s, sql::kCount + where, [&](soci::statement& st) { params.bind(st); });
    return db::select_rows(s, sql::kSystemLog, where + sql::kNewestFirst, [&](soci::statement& st) {
      params.bind(st);
      st.exchange(use(limit, "lim"));
      st.exchange(use(offset, "off"));
    });
  });
}

long long Store::prune_logs(std::int64_t before) { return delete_before(db_, sql::kPruneLogs, before); }

// ---------------------------------------------------------------- error logs

void Store::record_error(const std::string& signature, const ErrorEvent& e, const std::string& occurrence_id,
                         std::int64_t now) {
  long long t = now, t2 = now;
  db_.tx([&](soci::session& s) {
    s << sql::kUpsertError, use(signature), use(e.method), use(e.route), use(e.message), use(t), use(t2),
        use(e.request_id), use(e.user_id);
    s << sql::kInsertOccurrence, use(occurrence_id), use(signature), use(e.request_id), use(e.user_id), use(t);
  });
}

std::vector<ErrorLogRow> Store::errors(int limit, int offset, long long& count) {
  return db_.with([&](soci::session& s) {
    count = db::fetch_count(s, std::string(sql::kCount) + sql::kErrorsFrom, [](soci::statement&) {});
    return db::select_rows(s, sql::kErrorLog, std::string(sql::kErrorsFrom) + sql::kErrorsByLastSeen,
                           db::uses(limit, offset));
  });
}

std::optional<ErrorLogRow> Store::error(const std::string& signature) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kErrorLog, sql::kErrorBySignature, db::uses(signature)); });
}

std::vector<std::string> Store::recent_request_ids(const std::string& signature, int limit) {
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    soci::rowset<std::string> rows = (s.prepare << sql::kOccurrenceIds, use(signature), use(limit));
    for (auto& id : rows) out.push_back(id);
    return out;
  });
}

long long Store::prune_errors(std::int64_t before) {
  return delete_before(db_, sql::kPruneOccurrences, before) + delete_before(db_, sql::kPruneErrors, before);
}

// ---------------------------------------------------------------- performance metrics

void Store::insert_metrics(const std::vector<MetricPoint>& points) {
  if (points.empty()) return;
  db_.tx([&](soci::session& s) {
    std::string node, name, label;
    double value = 0;
    long long t = 0;
    soci::statement st = (s.prepare << sql::kInsertMetric, use(node), use(name), use(label), use(value), use(t));
    for (auto& p : points) {
      node = p.node_id;
      name = p.name;
      label = p.label;
      value = p.value;
      t = p.taken_at;
      st.execute(true);
    }
  });
}

std::vector<MetricPoint> Store::series(const std::string& name, std::int64_t since, std::int64_t until) {
  long long a = since, b = until;
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kMetric, sql::kSeries, db::uses(name, a, b)); });
}

std::vector<std::string> Store::series_names(std::int64_t since) {
  long long t = since;
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    soci::rowset<std::string> rows = (s.prepare << sql::kSeriesNames, use(t));
    for (auto& n : rows) out.push_back(n);
    return out;
  });
}

long long Store::prune_metrics(std::int64_t before) { return delete_before(db_, sql::kPruneMetrics, before); }

// ---------------------------------------------------------------- queue depths

std::map<std::string, long long> Store::queue_depths() {
  return db_.with([&](soci::session& s) {
    std::map<std::string, long long> out;
    for (auto [name, text] : {std::pair{"videos", sql::kQueueVideos}, {"mail", sql::kQueueMail},
                              {"push", sql::kQueuePush}, {"notification_broadcasts", sql::kQueueBroadcasts}})
      out[name] = db::fetch_count(s, text, [](soci::statement&) {});
    return out;
  });
}

// ---------------------------------------------------------------- broadcasts

void Store::insert_broadcast(const BroadcastRow& b) {
  std::string severity(to_string(b.severity)), audience(to_string(b.audience));
  std::optional<long long> expires;
  if (b.expires_at) expires = *b.expires_at;
  long long t = b.created_at;
  db_.with([&](soci::session& s) {
    s << sql::kInsertBroadcast, use(b.id), use(b.created_by), use(b.message), use(severity), use(audience),
        use(b.plan), use(expires), use(t);
  });
}

void Store::set_notification_broadcast(const std::string& id, const std::string& notification_id) {
  db_.with([&](soci::session& s) { s << sql::kSetNotificationBroadcast, use(notification_id), use(id); });
}

std::optional<BroadcastRow> Store::broadcast(const std::string& id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kBroadcast, sql::kBroadcastById, db::uses(id)); });
}

std::vector<BroadcastRow> Store::broadcasts(int limit, int offset, long long& count) {
  return db_.with([&](soci::session& s) {
    count = db::fetch_count(s, sql::kCountBroadcasts, [](soci::statement&) {});
    return db::select_rows(s, sql::kBroadcast, sql::kBroadcastsNewestFirst, db::uses(limit, offset));
  });
}

std::vector<BroadcastRow> Store::active_broadcasts(std::int64_t now) {
  long long t = now;
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kBroadcast, sql::kBroadcastsActive, db::uses(t)); });
}

void Store::record_delivery(const std::string& broadcast_id, const std::string& node_id, int sockets,
                            std::int64_t at) {
  long long t = at;
  db_.with([&](soci::session& s) { s << sql::kUpsertDelivery, use(broadcast_id), use(node_id), use(sockets), use(t); });
}

std::vector<DeliveryRow> Store::deliveries(const std::string& broadcast_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kDelivery, sql::kDeliveries, db::uses(broadcast_id)); });
}

}  // namespace wp::admin
