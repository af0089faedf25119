// The float32 exp/tanh/sigmoid of kernels/fast_math.h against libm in float64.
#include "kernels/fast_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace cuseq::detail {
namespace {

// Relative error over a dense grid: within 2.5e-7 (about 2 ulp in float32).
TEST(FastMath, TanhSigmoidAndExpm1AreWithinTwoUlp) {
  double worst_tanh = 0, worst_sigmoid = 0, worst_expm1 = 0;
  for (double x = -30; x <= 30; x += 1e-3) {
    const float f = static_cast<float>(x);
    const double tanh_ref = std::tanh(static_cast<double>(f));
    const double sigmoid_ref = 1.0 / (1.0 + std::exp(-static_cast<double>(f)));
    const double expm1_ref = std::expm1(static_cast<double>(f));
    if (tanh_ref != 0)
      worst_tanh = std::max(worst_tanh, std::fabs(tanh_fast(f) - tanh_ref) / std::fabs(tanh_ref));
    worst_sigmoid = std::max(worst_sigmoid, std::fabs(sigmoid_fast(f) - sigmoid_ref) / sigmoid_ref);
    if (expm1_ref != 0)
      worst_expm1 =
          std::max(worst_expm1, std::fabs(expm1_fast(f) - expm1_ref) / std::fabs(expm1_ref));
  }
  EXPECT_LT(worst_tanh, 2.5e-7);
  EXPECT_LT(worst_sigmoid, 2.5e-7);
  EXPECT_LT(worst_expm1, 2.5e-7);
}

TEST(FastMath, SaturatesAndKeepsNaN) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(tanh_fast(1e30f), 1.0f);
  EXPECT_EQ(tanh_fast(-inf), -1.0f);
  EXPECT_EQ(tanh_fast(0.0f), 0.0f);
  EXPECT_EQ(sigmoid_fast(inf), 1.0f);
  EXPECT_GE(sigmoid_fast(-inf), 0.0f);
  EXPECT_LT(sigmoid_fast(-inf), 1e-37f);
  EXPECT_TRUE(std::isnan(tanh_fast(std::nanf(""))));
  EXPECT_TRUE(std::isnan(exp_fast(std::nanf(""))));
  EXPECT_TRUE(std::isfinite(exp_fast(200.0f)));
}

}  // namespace
}  // namespace cuseq::detail
