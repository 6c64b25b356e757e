#pragma once
// Every read and write of the admin tables (the SQL text is in sql.hpp).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/admin/model.hpp"

namespace wp::admin {

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}
  db::Database& database() { return db_; }

  void insert_log(const SystemLogRow& row);
  std::vector<SystemLogRow> logs(const LogFilter& filter, int limit, int offset, long long& count);
  long long prune_logs(std::int64_t before);

  // Counts a 500 under its signature and keeps its request id, in one transaction.
  void record_error(const std::string& signature, const ErrorEvent& e, const std::string& occurrence_id,
                    std::int64_t now);
  std::vector<ErrorLogRow> errors(int limit, int offset, long long& count);
  std::optional<ErrorLogRow> error(const std::string& signature);
  std::vector<std::string> recent_request_ids(const std::string& signature, int limit);
  long long prune_errors(std::int64_t before);

  void insert_metrics(const std::vector<MetricPoint>& points);
  std::vector<MetricPoint> series(const std::string& name, std::int64_t since, std::int64_t until);
  std::vector<std::string> series_names(std::int64_t since);
  long long prune_metrics(std::int64_t before);

  // Jobs waiting or running, by queue: videos, mail, push, notification_broadcasts.
  std::map<std::string, long long> queue_depths();

  void insert_broadcast(const BroadcastRow& b);
  void set_notification_broadcast(const std::string& id, const std::string& notification_id);
  std::optional<BroadcastRow> broadcast(const std::string& id);
  std::vector<BroadcastRow> broadcasts(int limit, int offset, long long& count);
  // Broadcasts whose expiry is still ahead: a page opened later shows them.
  std::vector<BroadcastRow> active_broadcasts(std::int64_t now);
  void record_delivery(const std::string& broadcast_id, const std::string& node_id, int sockets, std::int64_t at);
  std::vector<DeliveryRow> deliveries(const std::string& broadcast_id);

 private:
  db::Database& db_;
};

}  // namespace wp::admin
