#pragma once
// Monthly partitions of analytics_events (PostgreSQL): which to make ahead
// and which are past the retention. Pure: the store lists and runs them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wp::analytics {

struct Month {
  int year = 1970, month = 1;  // month 1..12, UTC
  bool operator==(const Month&) const = default;
};

Month month_of(std::int64_t epoch_ms);
Month next_month(Month m);
std::int64_t month_start_ms(Month m);
// "analytics_events_p202612"
std::string partition_name(Month m);
std::optional<Month> month_of_partition(const std::string& name);
// Midnight UTC of the day of epoch_ms.
std::int64_t day_start_ms(std::int64_t epoch_ms);

struct PartitionPlan {
  std::vector<Month> create;       // the current month and `ahead` more, those missing
  std::vector<std::string> drop;   // partitions entirely older than the cutoff
};
PartitionPlan plan_partitions(std::int64_t now_ms, int ahead, int retention_days,
                              const std::vector<std::string>& existing);

}  // namespace wp::analytics
