// The examples' time-series windows and row selection, against loops written here.
#include "time_series.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_support.h"

namespace cuseq::examples {
namespace {

// Two features per timestep: (t, 100 + t), so every value names its row.
std::vector<float> numbered_rows(std::int64_t timesteps) {
  std::vector<float> features;
  for (std::int64_t t = 0; t < timesteps; ++t) {
    features.push_back(static_cast<float>(t));
    features.push_back(static_cast<float>(100 + t));
  }
  return features;
}

TEST(MakeWindows, EachSampleEndsAtItsTimestepAndTargetsDelayLater) {
  const WindowSpec spec{6, 2, 3};
  const Windows w = make_windows(numbered_rows(20), 2, 1, 4, 20, spec);
  // First end: begin + lookback - 1 = 9; last: end - 1 - delay = 16.
  ASSERT_EQ(w.x.shape(), Shape({8, 3, 2}));
  ASSERT_EQ(w.ends.front(), 9);
  ASSERT_EQ(w.ends.back(), 16);
  const std::vector<float> x = w.x.to_vector<float>();
  const std::vector<float> y = w.y.to_vector<float>();
  for (std::int64_t sample = 0; sample < 8; ++sample) {
    const std::int64_t t = 9 + sample;
    for (std::int64_t step = 0; step < 3; ++step) {
      const std::int64_t row = t - spec.lookback + spec.step * (step + 1);
      EXPECT_EQ(x[(sample * 3 + step) * 2], static_cast<float>(row));
      EXPECT_EQ(x[(sample * 3 + step) * 2 + 1], static_cast<float>(100 + row));
    }
    EXPECT_EQ(y[sample], static_cast<float>(100 + t + spec.delay));
  }
}

TEST(MakeWindows, TooFewRowsForTheLookbackIsAnError) {
  testing::expect_error_mentions(
      [] {
        make_windows(numbered_rows(10), 2, 0, 0, 10, WindowSpec{8, 1, 4});
      },
      {"make_windows", "too few", "lookback 8"});
}

TEST(FitStandardizer, UsesOnlyTheGivenRows) {
  const Standardizer s = fit_standardizer({1, 3, 1000}, 0, 2);
  EXPECT_DOUBLE_EQ(s.mean, 2.0);
  EXPECT_DOUBLE_EQ(s.std, 1.0);
  EXPECT_DOUBLE_EQ(s.apply(4.0), 2.0);
}

}  // namespace
}  // namespace cuseq::examples
