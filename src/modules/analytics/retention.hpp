#pragma once
// A video's audience retention from each viewer's furthest point, pure.
#include <optional>
#include <vector>

namespace wp::analytics {

// The share of viewers whose furthest point (percent, 0..100) reached each
// 5% step: 21 values for 0%, 5%, ..., 100%. Empty without viewers.
std::vector<double> retention_curve(const std::vector<double>& furthest_percent);
// The mean furthest point, percent; nullopt without viewers.
std::optional<double> average_completion(const std::vector<double>& furthest_percent);

}  // namespace wp::analytics
