#include "modules/analytics/partitions.hpp"

#include <algorithm>
#include <cstdio>

#include "core/clock.hpp"

namespace wp::analytics {

namespace {

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Month civil_month(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400) + (m <= 2);
  return {y, m};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

Month month_of(std::int64_t epoch_ms) { return civil_month(floor_div(epoch_ms, kDayMs)); }

Month next_month(Month m) { return m.month == 12 ? Month{m.year + 1, 1} : Month{m.year, m.month + 1}; }

std::int64_t month_start_ms(Month m) { return days_from_civil(m.year, m.month, 1) * kDayMs; }

std::int64_t day_start_ms(std::int64_t epoch_ms) { return floor_div(epoch_ms, kDayMs) * kDayMs; }

std::string partition_name(Month m) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "analytics_events_p%04d%02d", m.year, m.month);
  return buf;
}

std::optional<Month> month_of_partition(const std::string& name) {
  const std::string prefix = "analytics_events_p";
  if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  auto digits = name.substr(prefix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  Month m{std::stoi(digits.substr(0, 4)), std::stoi(digits.substr(4))};
  if (m.month < 1 || m.month > 12) return std::nullopt;
  return m;
}

PartitionPlan plan_partitions(std::int64_t now_ms, int ahead, int retention_days,
                              const std::vector<std::string>& existing) {
  PartitionPlan plan;
  Month m = month_of(now_ms);
  for (int i = 0; i <= ahead; ++i, m = next_month(m))
    if (std::find(existing.begin(), existing.end(), partition_name(m)) == existing.end()) plan.create.push_back(m);
  const std::int64_t cutoff = now_ms - std::int64_t{retention_days} * kDayMs;
  for (auto& name : existing)
    if (auto month = month_of_partition(name); month && month_start_ms(next_month(*month)) <= cutoff)
      plan.drop.push_back(name);
  return plan;
}

}  // namespace wp::analytics
