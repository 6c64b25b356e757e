#pragma once
// Cohorts by signup week and their retention, pure: of the users who signed
// up in a week, the share active in that week (week 0) and each week after.
#include <cstdint>
#include <vector>

namespace wp::analytics {

inline constexpr std::int64_t kWeekMs = 7LL * 86'400'000;
// Weeks start on Monday 00:00 UTC: 1970-01-05, four days after the epoch, was a Monday.
inline constexpr std::int64_t kFirstMondayMs = 4LL * 86'400'000;

std::int64_t week_index(std::int64_t t);
std::int64_t week_start(std::int64_t index);

// What the store counts: users who signed up in a week, and of them those
// active (with a day in the user rollup) in a week.
struct CohortSize {
  std::int64_t cohort_week = 0;
  std::int64_t users = 0;
};
struct CohortActivity {
  std::int64_t cohort_week = 0, active_week = 0;
  std::int64_t users = 0;
};

struct Cohort {
  std::int64_t week_start = 0;
  std::int64_t size = 0;
  // active[k], share[k]: week k after signup (0: the signup week), up to the current week (in progress).
  std::vector<std::int64_t> active;
  std::vector<double> share;
};

// The cohorts of weeks first_week .. current_week with at least one signup, oldest first.
std::vector<Cohort> cohort_table(const std::vector<CohortSize>& sizes, const std::vector<CohortActivity>& activity,
                                 std::int64_t first_week, std::int64_t current_week);

}  // namespace wp::analytics
