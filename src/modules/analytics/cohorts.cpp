#include "modules/analytics/cohorts.hpp"

#include <map>

namespace wp::analytics {

std::int64_t week_index(std::int64_t t) {
  const auto d = t - kFirstMondayMs;
  auto q = d / kWeekMs;
  if (d % kWeekMs != 0 && d < 0) --q;
  return q;
}

std::int64_t week_start(std::int64_t index) { return kFirstMondayMs + index * kWeekMs; }

std::vector<Cohort> cohort_table(const std::vector<CohortSize>& sizes, const std::vector<CohortActivity>& activity,
                                 std::int64_t first_week, std::int64_t current_week) {
  std::map<std::int64_t, Cohort> by_week;
  for (auto& s : sizes) {
    if (s.cohort_week < first_week || s.cohort_week > current_week || s.users <= 0) continue;
    auto& c = by_week[s.cohort_week];
    c.week_start = week_start(s.cohort_week);
    c.size = s.users;
    c.active.assign(static_cast<std::size_t>(current_week - s.cohort_week + 1), 0);
  }
  for (auto& a : activity) {
    auto it = by_week.find(a.cohort_week);
    if (it == by_week.end()) continue;
    const auto k = a.active_week - a.cohort_week;
    // Activity before the signup week is impossible but for clocks; after now it is not yet.
    if (k < 0 || k >= static_cast<std::int64_t>(it->second.active.size())) continue;
    it->second.active[static_cast<std::size_t>(k)] = a.users;
  }
  std::vector<Cohort> out;
  for (auto& [week, c] : by_week) {
    for (auto n : c.active) c.share.push_back(static_cast<double>(n) / static_cast<double>(c.size));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace wp::analytics
