// Time-series forecasting data, the way the Keras book prepares the Jena
// climate series: a matrix of features per timestep, normalized with the
// training rows' statistics, cut into (lookback, step, delay) windows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cuseq/cuseq.h"

namespace cuseq::examples {

struct TimeSeries {
  std::vector<std::string> times;
  std::vector<double> values;
};

// Two columns of a CSV file (e.g. data/seattle-temps.csv: date, temp).
TimeSeries load_time_series(const std::string& csv_path, const std::string& time_column,
                            const std::string& value_column);

// Mean and standard deviation of values[begin, end), to map x to (x - mean) / std.
struct Standardizer {
  double mean = 0.0;
  double std = 1.0;
  double apply(double x) const { return (x - mean) / std; }
};
Standardizer fit_standardizer(const std::vector<double>& values, std::int64_t begin,
                              std::int64_t end);

struct WindowSpec {
  std::int64_t lookback;  // timesteps a sample looks back over
  std::int64_t step;      // one of every `step` timesteps is kept
  std::int64_t delay;     // how far after a sample's last timestep its target lies
  std::int64_t steps() const { return lookback / step; }
};

struct Windows {
  Tensor x;                        // float32 [samples, lookback / step, features]
  Tensor y;                        // float32 [samples, 1]
  std::vector<std::int64_t> ends;  // each sample's last timestep t
};

// One sample per timestep t with t - lookback + 1 >= begin and t + delay < end:
// x holds features rows t - lookback + step, ..., t (every `step`-th, ending
// at t), y the target column at t + delay. features: row-major [timesteps, F].
Windows make_windows(const std::vector<float>& features, std::int64_t feature_count,
                     std::int64_t target_column, std::int64_t begin, std::int64_t end,
                     const WindowSpec& spec);

}  // namespace cuseq::examples
