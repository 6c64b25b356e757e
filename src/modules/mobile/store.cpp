#include "modules/mobile/store.hpp"

#include <soci/soci.h>

#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/mobile/sql.hpp"

namespace wp::mobile {

using soci::into;
using soci::use;

namespace {

using db::changed;

// Serializes a user's change writers on PostgreSQL (SQLite's write lock already does).
void lock_user(soci::session& s, db::Dialect dialect, const std::string& user_id) {
  if (dialect == db::Dialect::postgresql) db::fetch_count(s, sql::kLockUser, db::uses(user_id));
}

long long next_seq(soci::session& s, db::Dialect dialect) {
  long long seq = 0;
  if (dialect == db::Dialect::postgresql) {
    s << sql::kNextval, into(seq);
  } else {
    s << sql::kBumpCounter;
    s << sql::kCounter, into(seq);
  }
  return seq;
}

void write_changes(soci::session& s, db::Dialect dialect, const std::string& user_id,
                   const std::vector<Change>& changes, std::int64_t now) {
  long long t = now;
  for (const auto& c : changes) {
    long long seq = next_seq(s, dialect);
    std::string type(to_string(c.type));
    int deleted = c.deleted;
    s << sql::kUpsertChange, use(user_id), use(type), use(c.record_id), use(seq), use(deleted), use(c.payload), use(t);
  }
}

}  // namespace

// ---------------------------------------------------------------- devices

DeviceWrite Store::upsert_device(const DeviceRow& r) {
  return db_.tx([&](soci::session& s) {
    DeviceWrite w;
    w.before = db::select_one(s, sql::kDevice, sql::kDeviceByInstall, db::uses(r.user_id, r.device_id));
    if (r.push_token) {
      soci::statement st = (s.prepare << sql::kReleaseToken, use(*r.push_token), use(r.user_id), use(r.device_id));
      w.token_released = db::execute_counting(st);
    }
    std::string platform(to_string(r.platform));
    int push_enabled = r.push_enabled;
    long long c = r.created_at, up = r.updated_at, la = r.last_active;
    s << sql::kUpsertDevice, use(r.id), use(r.user_id), use(r.device_id), use(r.name), use(platform), use(r.model),
        use(r.os_version), use(r.app_version), use(r.push_token), use(push_enabled), use(r.settings),
        use(r.session_id), use(c), use(up), use(la);
    w.row = *db::select_one(s, sql::kDevice, sql::kDeviceByInstall, db::uses(r.user_id, r.device_id));
    return w;
  });
}

std::optional<DeviceRow> Store::device_of(const std::string& user_id, const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kDevice, sql::kDeviceOfUser, db::uses(user_id, id)); });
}

std::optional<DeviceRow> Store::device_by_install(const std::string& user_id, const std::string& device_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kDevice, sql::kDeviceByInstall, db::uses(user_id, device_id)); });
}

std::vector<DeviceRow> Store::devices_of(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kDevice, sql::kDevicesOf, db::uses(user_id)); });
}

bool Store::update_device(const DeviceRow& r) {
  return db_.with([&](soci::session& s) {
    int pe = r.push_enabled, dis = r.disabled;
    long long t = r.updated_at;
    return changed((s.prepare << sql::kUpdateDevice, use(r.name), use(pe), use(r.settings), use(dis), use(t), use(r.id),
                    use(r.user_id)));
  });
}

bool Store::delete_device(const std::string& user_id, const std::string& id) {
  return db_.with([&](soci::session& s) { return changed((s.prepare << sql::kDeleteDevice, use(id), use(user_id))); });
}

void Store::clear_token(const std::string& id) {
  db_.with([&](soci::session& s) { s << sql::kClearToken, use(id); });
}

bool Store::touch_device(const std::string& id, std::int64_t now, std::int64_t min_interval_ms) {
  return db_.with([&](soci::session& s) {
    long long t = now, before = now - min_interval_ms;
    return changed((s.prepare << sql::kTouchDevice, use(t), use(id), use(before)));
  });
}

// ---------------------------------------------------------------- the change log

void Store::record(const std::string& user_id, const std::vector<Change>& changes, std::int64_t now) {
  if (changes.empty()) return;
  db_.tx([&](soci::session& s) {
    lock_user(s, db_.dialect(), user_id);
    write_changes(s, db_.dialect(), user_id, changes, now);
  });
}

std::vector<ChangeRow> Store::changes_since(const std::string& user_id, DataType type, std::int64_t after, int limit) {
  std::string ty(to_string(type));
  long long a = after;
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kChange, sql::kChangesSince, db::uses(user_id, ty, a, limit)); });
}

std::vector<ChangeRow> Store::live_records(const std::string& user_id, DataType type) {
  std::string ty(to_string(type));
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kChange, sql::kLiveRecords, db::uses(user_id, ty)); });
}

// ---------------------------------------------------------------- feeds of other modules

namespace {

// An observation older than the recorded one is stale (its module has moved on since).
bool worth_writing(const std::optional<ChangeRow>& now, const Change& c, std::int64_t observed_at) {
  if (!now) return !c.deleted;
  if (now->changed_at > observed_at) return false;
  if (now->deleted != c.deleted) return true;
  return !c.deleted && now->payload != c.payload;
}

}  // namespace

int Store::record_observed(const std::string& user_id, const std::vector<Change>& changes, std::int64_t observed_at) {
  if (changes.empty()) return 0;
  return db_.tx([&](soci::session& s) {
    lock_user(s, db_.dialect(), user_id);
    std::vector<Change> wanted;
    for (const auto& c : changes) {
      std::string ty(to_string(c.type));
      auto now = db::select_one(s, sql::kChange, sql::kRecord, db::uses(user_id, ty, c.record_id));
      if (worth_writing(now, c, observed_at)) wanted.push_back(c);
    }
    write_changes(s, db_.dialect(), user_id, wanted, observed_at);
    return static_cast<int>(wanted.size());
  });
}

bool Store::has_devices(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kCountDevices, db::uses(user_id)) > 0; });
}

std::optional<std::string> Store::batch_result(const std::string& user_id, const std::string& batch_id) {
  return db_.with([&](soci::session& s) -> std::optional<std::string> {
    std::string stored;
    soci::indicator ind = soci::i_null;
    s << sql::kBatchResult, into(stored, ind), use(user_id), use(batch_id);
    if (s.got_data() && ind == soci::i_ok) return stored;
    return std::nullopt;
  });
}

BatchOutcome Store::apply_batch(const std::string& user_id, const std::string& batch_id,
                                const std::function<BatchPlan(const RecordReader&)>& plan, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    lock_user(s, db_.dialect(), user_id);
    std::string stored;
    soci::indicator ind = soci::i_null;
    s << sql::kBatchResult, into(stored, ind), use(user_id), use(batch_id);
    if (s.got_data() && ind == soci::i_ok) return BatchOutcome{stored, true};
    RecordReader reader = [&](DataType type, const std::string& record_id) {
      std::string ty(to_string(type));
      return db::select_one(s, sql::kChange, sql::kRecord, db::uses(user_id, ty, record_id));
    };
    BatchPlan p = plan(reader);
    write_changes(s, db_.dialect(), user_id, p.changes, now);
    long long t = now;
    s << sql::kInsertBatch, use(user_id), use(batch_id), use(p.result_json), use(t);
    return BatchOutcome{p.result_json, false};
  });
}

// ---------------------------------------------------------------- syncs

void Store::insert_sync(const SyncRow& r) {
  db_.with([&](soci::session& s) {
    std::string ty(to_string(r.sync_type)), st(to_string(r.status));
    long long t = r.started_at;
    s << sql::kInsertSync, use(r.id), use(r.user_id), use(r.device_id), use(ty), use(st), use(r.data_types), use(t);
  });
}

std::optional<SyncRow> Store::sync_of(const std::string& user_id, const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kSync, sql::kSyncOf, db::uses(id, user_id)); });
}

std::vector<SyncRow> Store::syncs_of(const std::string& user_id, int limit) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kSync, sql::kSyncsOf, db::uses(user_id, limit)); });
}

void Store::save_sync(const SyncRow& r) {
  db_.with([&](soci::session& s) {
    std::string st(to_string(r.status));
    long long sz = r.size_bytes, rc = r.records_count;
    std::optional<long long> ca, dm;
    if (r.completed_at) ca = *r.completed_at;
    if (r.duration_ms) dm = *r.duration_ms;
    s << sql::kSaveSync, use(st), use(sz), use(rc), use(r.pages), use(r.last_request), use(ca), use(dm), use(r.error),
        use(r.retry_count), use(r.id);
  });
}

std::string Store::instance_secret(const std::string& key, const std::string& fresh, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long t = now;
    s << sql::kInsertSecret, use(key), use(fresh), use(t);
    std::string value;
    s << sql::kSecret, into(value), use(key);
    return value;
  });
}

}  // namespace wp::mobile
