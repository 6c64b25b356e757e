#include "modules/analytics/forecast.hpp"

#include <cmath>
#include <limits>
#include <numeric>

namespace wp::analytics {

namespace {

constexpr int kHoldOut = 28;

double mean(const std::vector<double>& y, std::size_t from, std::size_t to) {
  return std::accumulate(y.begin() + static_cast<long>(from), y.begin() + static_cast<long>(to), 0.0) /
         static_cast<double>(to - from);
}

}  // namespace

Fit fit(const std::vector<double>& y, HoltWinters p) {
  const std::size_t m = kSeason;
  Fit f;
  f.params = p;
  f.n = y.size();
  f.level = mean(y, 0, m);
  f.trend = (mean(y, m, 2 * m) - f.level) / static_cast<double>(m);
  for (std::size_t i = 0; i < m; ++i) f.season.push_back(y[i] - f.level);
  double sse = 0;
  std::size_t counted = 0;
  for (std::size_t t = 0; t < y.size(); ++t) {
    double& s = f.season[t % m];
    const double predicted = f.level + f.trend + s;
    f.one_step.push_back(predicted);
    if (t >= m) {
      sse += (y[t] - predicted) * (y[t] - predicted);
      ++counted;
    }
    const double level = p.alpha * (y[t] - s) + (1 - p.alpha) * (f.level + f.trend);
    f.trend = p.beta * (level - f.level) + (1 - p.beta) * f.trend;
    s = p.gamma * (y[t] - level) + (1 - p.gamma) * s;
    f.level = level;
  }
  f.sigma = counted ? std::sqrt(sse / static_cast<double>(counted)) : 0;
  return f;
}

std::vector<double> forecast(const Fit& f, int horizon) {
  std::vector<double> out;
  for (int h = 1; h <= horizon; ++h)
    out.push_back(f.level + h * f.trend + f.season[(f.n - 1 + static_cast<std::size_t>(h)) % kSeason]);
  return out;
}

std::vector<double> half_widths(const Fit& f, int horizon, double z) {
  std::vector<double> out;
  double sum = 1;
  for (int h = 1; h <= horizon; ++h) {
    if (h > 1) {
      const int j = h - 1;
      const double c = f.params.alpha * (1 + j * f.params.beta) + (j % kSeason == 0 ? f.params.gamma : 0);
      sum += c * c;
    }
    out.push_back(z * f.sigma * std::sqrt(sum));
  }
  return out;
}

HoltWinters best_parameters(const std::vector<double>& y) {
  HoltWinters best;
  double best_sigma = std::numeric_limits<double>::infinity();
  for (int a = 1; a <= 9; ++a)
    for (int b = 1; b <= 9; ++b)
      for (int g = 1; g <= 9; ++g) {
        HoltWinters p{a / 10.0, b / 10.0, g / 10.0};
        auto f = fit(y, p);
        if (f.sigma < best_sigma - 1e-12) {
          best_sigma = f.sigma;
          best = p;
        }
      }
  return best;
}

std::optional<double> mape(const std::vector<double>& actual, const std::vector<double>& predicted) {
  double sum = 0;
  int n = 0;
  for (std::size_t i = 0; i < actual.size() && i < predicted.size(); ++i) {
    if (actual[i] == 0) continue;
    sum += std::abs((actual[i] - predicted[i]) / actual[i]);
    ++n;
  }
  if (n == 0) return std::nullopt;
  return 100.0 * sum / n;
}

std::optional<Prediction> predict(const std::vector<double>& y, int horizon) {
  if (y.size() < 2 * kSeason) return std::nullopt;
  Prediction out;
  out.fit = fit(y, best_parameters(y));
  out.point = forecast(out.fit, horizon);
  auto widths = half_widths(out.fit, horizon);
  for (int h = 0; h < horizon; ++h) {
    out.lower.push_back(out.point[h] - widths[h]);
    out.upper.push_back(out.point[h] + widths[h]);
  }
  if (y.size() >= 2 * kSeason + kHoldOut) {
    std::vector<double> train(y.begin(), y.end() - kHoldOut), held(y.end() - kHoldOut, y.end());
    out.mape = mape(held, forecast(fit(train, best_parameters(train)), kHoldOut));
  }
  return out;
}

}  // namespace wp::analytics
