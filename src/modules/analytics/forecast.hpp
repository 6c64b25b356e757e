#pragma once
// Holt-Winters, additive trend and additive weekly season (m = 7), on a daily
// series: simple enough to check by hand (docs/api.md, "Predictive").
//
// Start (from the first two seasons): level L = mean(y[0..m)), trend
// T = (mean(y[m..2m)) - mean(y[0..m))) / m, season S[i] = y[i] - L.
// Then for every t = 0..n-1:
//   one-step forecast  f[t] = L + T + S[t mod m]
//   L' = a (y[t] - S[t mod m]) + (1 - a)(L + T)
//   T' = b (L' - L) + (1 - b) T
//   S[t mod m] = g (y[t] - L') + (1 - g) S[t mod m]
// Forecast h days after the last: L + h T + S[(n - 1 + h) mod m].
// sigma: the RMS of the one-step errors for t >= m. Interval at 80%:
// +- 1.2816 sigma_h, sigma_h^2 = sigma^2 (1 + sum_{j=1}^{h-1} c_j^2),
// c_j = a (1 + j b) + g [j mod m == 0].
#include <optional>
#include <vector>

namespace wp::analytics {

inline constexpr int kSeason = 7;
inline constexpr double kZ80 = 1.2815515655446004;

struct HoltWinters {
  double alpha = 0.5, beta = 0.1, gamma = 0.1;
};

struct Fit {
  HoltWinters params;
  double level = 0, trend = 0;
  std::vector<double> season;    // by t mod m
  std::vector<double> one_step;  // f[t] for every t
  double sigma = 0;
  std::size_t n = 0;
};

// The recursion with given parameters; series.size() >= 2 m.
Fit fit(const std::vector<double>& series, HoltWinters p);
// h = 1..horizon days after the last point.
std::vector<double> forecast(const Fit& f, int horizon);
// The interval's half width at h = 1..horizon.
std::vector<double> half_widths(const Fit& f, int horizon, double z = kZ80);
// The parameters (each 0.1 .. 0.9 by 0.1) with the smallest one-step squared error for t >= m.
HoltWinters best_parameters(const std::vector<double>& series);

struct Prediction {
  Fit fit;
  std::vector<double> point, lower, upper;
  std::optional<double> mape;  // percent, on the last 28 days held out; nullopt below 2 m + 28 points
};
// Fits on the whole series and forecasts `horizon` days; backtests by fitting
// on all but the last 28 days and forecasting those. nullopt below 2 m points.
std::optional<Prediction> predict(const std::vector<double>& series, int horizon = 14);

// Mean absolute percentage error over the points where actual != 0.
std::optional<double> mape(const std::vector<double>& actual, const std::vector<double>& predicted);

}  // namespace wp::analytics
