#pragma once
// Every read and write of the push tables (the SQL text is in sql.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/push/model.hpp"

namespace wp::push {

// What one message becomes for one user: the fields every target's row shares.
struct NewPush {
  std::string user_id;
  std::string notification_id, type, title, body, url, data = "{}";
  int ttl_s = 0;
  Urgency urgency = Urgency::normal;
  int max_attempts = 1;
  std::int64_t due_at = 0;  // not before
};

// How the claim treats rows a worker left behind.
struct ClaimRules {
  std::int64_t now = 0;
  std::int64_t lease_ms = 0;
  int limit = 1;
};

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // Inserts or takes over the endpoint's row; `created` tells which.
  SubscriptionRow upsert_subscription(const SubscriptionRow& row, bool& created);
  std::vector<SubscriptionRow> subscriptions_of(const std::string& user_id);
  bool delete_subscription_of(const std::string& id, const std::string& user_id);
  DeviceTokenRow upsert_device(const DeviceTokenRow& row, bool& created);
  std::vector<DeviceTokenRow> devices_of(const std::string& user_id);
  bool delete_device_of(const std::string& id, const std::string& user_id);
  // Whoever holds it (mobile: a device removed, revoked or handed over).
  bool delete_device_token(const std::string& token);

  // One queued row per subscription (and per device when with_devices), in
  // one transaction; returns how many.
  int enqueue(const NewPush& push, bool with_devices, std::int64_t now);
  std::vector<PushRow> pushes_of(const std::string& user_id, int limit, int offset);
  long long count_pushes_of(const std::string& user_id);
  std::optional<PushRow> push_of(const std::string& id, const std::string& user_id);
  std::vector<AttemptRow> attempts_of(const std::string& push_id);

  // In one transaction: fails what dead workers left in flight, what
  // expired and what lost its target, then leases up to `limit` due rows
  // to worker_id and returns them with their targets.
  std::vector<Delivery> claim(const std::string& worker_id, const ClaimRules& rules);
  // queued -> sending with the attempt counted, just before the request;
  // false when this worker no longer holds the row.
  bool start_send(const std::string& push_id, const std::string& worker_id, std::int64_t now);
  // Records the attempt and its outcome (a gone target is deleted) in one
  // transaction; false when this worker no longer held the row.
  bool finish(const Delivery& d, const std::string& worker_id, const Outcome& outcome, std::int64_t started_at,
              std::int64_t now);
  // Gives back a claimed row that was never started.
  void release(const std::string& push_id, const std::string& worker_id);
  // Deletes sent and failed rows last changed before cutoff; returns how many.
  long long purge_settled(std::int64_t cutoff);

 private:
  db::Database& db_;
};

}  // namespace wp::push
