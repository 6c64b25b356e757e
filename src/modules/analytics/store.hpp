#pragma once
// Every read and write of the analytics tables (the SQL text is in sql.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/analytics/model.hpp"
#include "modules/analytics/partitions.hpp"

namespace wp::analytics {

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  bool postgresql() const { return db_.dialect() == db::Dialect::postgresql; }

  // All of rows in one transaction, as multi-row INSERTs of up to 100 rows.
  void insert(const std::vector<EventRow>& rows);

  // PostgreSQL: the partitions of analytics_events that exist.
  std::vector<std::string> partitions();
  // PostgreSQL: makes and drops partitions under one lock (several nodes run this).
  void apply(const PartitionPlan& plan);
  // SQLite: deletes the events before `cutoff`; how many went.
  long long delete_before(std::int64_t cutoff);

 private:
  db::Database& db_;
};

}  // namespace wp::analytics
