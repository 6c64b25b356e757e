#include "modules/analytics/retention.hpp"

#include <numeric>

namespace wp::analytics {

std::vector<double> retention_curve(const std::vector<double>& furthest) {
  std::vector<double> out;
  if (furthest.empty()) return out;
  for (int step = 0; step <= 20; ++step) {
    const double mark = step * 5.0;
    std::size_t reached = 0;
    for (double f : furthest)
      if (f + 1e-9 >= mark) ++reached;
    out.push_back(static_cast<double>(reached) / static_cast<double>(furthest.size()));
  }
  return out;
}

std::optional<double> average_completion(const std::vector<double>& furthest) {
  if (furthest.empty()) return std::nullopt;
  return std::accumulate(furthest.begin(), furthest.end(), 0.0) / static_cast<double>(furthest.size());
}

}  // namespace wp::analytics
