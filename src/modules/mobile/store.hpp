#pragma once
// Every read and write of the mobile tables (the SQL text is in sql.hpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/mobile/model.hpp"

namespace wp::mobile {

// A device registration as written: the row now, the row before (none when
// it is new), and the other rows that lost the same push token.
struct DeviceWrite {
  DeviceRow row;
  std::optional<DeviceRow> before;
  long long token_released = 0;
};

// The current change row of a record, read inside the writing transaction.
using RecordReader = std::function<std::optional<ChangeRow>(DataType, const std::string& record_id)>;
// What an offline push becomes: the changes to record and the answer kept for its batch id.
struct BatchPlan {
  std::vector<Change> changes;
  std::string result_json = "{}";
};
struct BatchOutcome {
  std::string result_json;
  bool duplicate = false;
};

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // ---- devices
  DeviceWrite upsert_device(const DeviceRow& row);
  std::optional<DeviceRow> device_of(const std::string& user_id, const std::string& id);
  std::optional<DeviceRow> device_by_install(const std::string& user_id, const std::string& device_id);
  std::vector<DeviceRow> devices_of(const std::string& user_id);
  bool update_device(const DeviceRow& row);
  bool delete_device(const std::string& user_id, const std::string& id);
  void clear_token(const std::string& id);
  // Moves last_active to now unless it moved less than min_interval_ms ago; true when it moved.
  bool touch_device(const std::string& id, std::int64_t now, std::int64_t min_interval_ms);

  // ---- the change log: each write takes the next sequence number
  void record(const std::string& user_id, const std::vector<Change>& changes, std::int64_t now);
  // Changes of one type after a sequence number, oldest first, at most limit.
  std::vector<ChangeRow> changes_since(const std::string& user_id, DataType type, std::int64_t after, int limit);
  // The records of a type that are not deleted.
  std::vector<ChangeRow> live_records(const std::string& user_id, DataType type);
  // ---- feeds of other modules: what their module said at observed_at (a time
  // taken before asking it). A change is written only when it differs from the
  // record and no later observation was recorded; returns how many were written.
  int record_observed(const std::string& user_id, const std::vector<Change>& changes, std::int64_t observed_at);
  bool has_devices(const std::string& user_id);
  // The answer kept for an offline batch already applied.
  std::optional<std::string> batch_result(const std::string& user_id, const std::string& batch_id);
  // ---- end feeds
  // An offline push, once per batch id: plan runs inside the transaction
  // (it reads current records through the reader) unless the batch was seen.
  BatchOutcome apply_batch(const std::string& user_id, const std::string& batch_id,
                           const std::function<BatchPlan(const RecordReader&)>& plan, std::int64_t now);

  // ---- syncs
  void insert_sync(const SyncRow& row);
  std::optional<SyncRow> sync_of(const std::string& user_id, const std::string& id);
  std::vector<SyncRow> syncs_of(const std::string& user_id, int limit);
  void save_sync(const SyncRow& row);

  // ---- crashes and sessions (store_crashes.cpp)
  // Adds a crash to its signature's group (made at its first report), counting it per
  // version; regresses tells, inside the transaction, whether a fixed group reopens.
  CrashGroupRow record_crash(const CrashRow& crash, const std::string& signature, const std::string& title,
                             const std::function<bool(const CrashGroupRow&)>& regresses);
  std::vector<CrashGroupRow> crash_groups(const std::optional<CrashStatus>& status, int limit, int offset);
  long long count_crash_groups(const std::optional<CrashStatus>& status);
  std::optional<CrashGroupRow> crash_group(const std::string& id);
  std::vector<CrashVersionRow> crash_versions(const std::string& group_id);
  std::vector<CrashRow> recent_crashes(const std::string& group_id, int limit);
  bool mark_fixed(const std::string& id, const std::string& version);
  // False when the id is another device's session.
  bool upsert_session(const SessionRow& row);
  std::vector<PlatformFigures> figures_since(std::int64_t since);

  // The value kept under key, written as fresh by the first caller (every node agrees).
  std::string instance_secret(const std::string& key, const std::string& fresh, std::int64_t now);

 private:
  db::Database& db_;
};

}  // namespace wp::mobile
