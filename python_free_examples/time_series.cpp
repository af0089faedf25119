#include "time_series.h"

#include <cmath>

namespace cuseq::examples {

TimeSeries load_time_series(const std::string& csv_path, const std::string& time_column,
                            const std::string& value_column) {
  const CsvTable table = read_csv(csv_path);
  const std::size_t time = table.column(time_column);
  const std::size_t value = table.column(value_column);
  TimeSeries series;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    series.times.push_back(table.rows[r][time]);
    try {
      series.values.push_back(std::stod(table.rows[r][value]));
    } catch (const std::exception&) {
      fail("load_time_series", csv_path, ":", table.row_lines[r], ": expected a number in column ",
           value_column, ", got \"", table.rows[r][value], "\"");
    }
  }
  return series;
}

Standardizer fit_standardizer(const std::vector<double>& values, std::int64_t begin,
                              std::int64_t end) {
  check(0 <= begin && begin < end && end <= static_cast<std::int64_t>(values.size()),
        "fit_standardizer", "expected a non-empty range inside [0, ", values.size(), "), got [",
        begin, ", ", end, ")");
  double sum = 0.0, squares = 0.0;
  for (std::int64_t i = begin; i < end; ++i) sum += values[i];
  const double mean = sum / static_cast<double>(end - begin);
  for (std::int64_t i = begin; i < end; ++i) squares += (values[i] - mean) * (values[i] - mean);
  const double std = std::sqrt(squares / static_cast<double>(end - begin));
  return {mean, std > 0 ? std : 1.0};
}

Windows make_windows(const std::vector<float>& features, std::int64_t feature_count,
                     std::int64_t target_column, std::int64_t begin, std::int64_t end,
                     const WindowSpec& spec) {
  const char* where = "make_windows";
  check(spec.step > 0 && spec.lookback >= spec.step && spec.delay >= 0, where,
        "expected lookback >= step > 0 and delay >= 0, got lookback ", spec.lookback, ", step ",
        spec.step, ", delay ", spec.delay);
  check(target_column >= 0 && target_column < feature_count, where, "target column ", target_column,
        " is outside [0, ", feature_count, ")");
  const std::int64_t first = begin + spec.lookback - 1;
  const std::int64_t last = end - 1 - spec.delay;
  check(last >= first, where, "rows [", begin, ", ", end, ") are too few for lookback ",
        spec.lookback, " and delay ", spec.delay);
  const std::int64_t samples = last - first + 1;
  const std::int64_t steps = spec.steps();
  std::vector<float> x;
  std::vector<float> y;
  Windows windows;
  x.reserve(static_cast<std::size_t>(samples * steps * feature_count));
  for (std::int64_t t = first; t <= last; ++t) {
    for (std::int64_t s = steps - 1; s >= 0; --s) {
      const float* row = &features[static_cast<std::size_t>((t - s * spec.step) * feature_count)];
      x.insert(x.end(), row, row + feature_count);
    }
    y.push_back(
        features[static_cast<std::size_t>((t + spec.delay) * feature_count + target_column)]);
    windows.ends.push_back(t);
  }
  windows.x = Tensor::from_vector<float>(x, {samples, steps, feature_count});
  windows.y = Tensor::from_vector<float>(y, {samples, 1});
  return windows;
}

}  // namespace cuseq::examples
