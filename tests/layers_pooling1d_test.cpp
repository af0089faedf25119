// The 1-D pooling layers against reference loops: windows, Keras shapes,
// gradient routing (first maximum on ties, overlapping windows summed).
#include <gtest/gtest.h>

#include <limits>

#include "conv_reference.h"
#include "layer_gradient_check.h"
#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::expect_error_mentions;
using testing::random_tensor;

struct PoolCase {
  std::int64_t pool, stride;
  std::string padding;
};

const std::vector<PoolCase> kPoolCases = {{2, 2, "valid"}, {3, 1, "valid"}, {3, 2, "same"},
                                          {2, 3, "valid"}, {4, 3, "same"},  {5, 5, "same"}};

// Forward and input gradient of max (first maximum) or mean pooling over the
// real steps of each window, by the textbook loops.
struct ReferencePool {
  std::vector<double> y, dx;
};

ReferencePool reference_pool(bool max, const std::vector<double>& x, const std::vector<double>& dy,
                             std::int64_t batch, std::int64_t steps, std::int64_t channels,
                             const PoolCase& p) {
  const std::int64_t out = testing::keras_output_length(steps, p.pool, p.padding, p.stride, 1);
  const std::int64_t pad = testing::keras_pad_left(steps, p.pool, p.padding, p.stride, 1);
  ReferencePool r{std::vector<double>(batch * out * channels), std::vector<double>(x.size(), 0.0)};
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t t = 0; t < out; ++t)
      for (std::int64_t c = 0; c < channels; ++c) {
        std::vector<std::int64_t> real;
        for (std::int64_t k = 0; k < p.pool; ++k) {
          const std::int64_t i = t * p.stride + k - pad;
          if (i >= 0 && i < steps) real.push_back((b * steps + i) * channels + c);
        }
        const std::int64_t o = (b * out + t) * channels + c;
        if (max) {
          std::int64_t best = real[0];
          for (const std::int64_t i : real)
            if (x[i] > x[best]) best = i;
          r.y[o] = x[best];
          r.dx[best] += dy[o];
        } else {
          double sum = 0;
          for (const std::int64_t i : real) sum += x[i];
          r.y[o] = sum / static_cast<double>(real.size());
          for (const std::int64_t i : real) r.dx[i] += dy[o] / static_cast<double>(real.size());
        }
      }
  return r;
}

std::unique_ptr<Pooling1D> make_pool(bool max, const PoolCase& p) {
  const Pooling1DOptions options{p.stride, p.padding, ""};
  if (max) return std::make_unique<MaxPooling1D>(p.pool, options);
  return std::make_unique<AveragePooling1D>(p.pool, options);
}

void expect_matches_reference(bool max, const Tensor& x) {
  const std::int64_t batch = x.dim(0), steps = x.dim(1), channels = x.dim(2);
  for (const PoolCase& p : kPoolCases) {
    const std::unique_ptr<Pooling1D> pool = make_pool(max, p);
    const std::string what = pool->type() + " pool " + std::to_string(p.pool) + " stride " +
                             std::to_string(p.stride) + " " + p.padding;
    const Tensor y = pool->forward(x, {});
    const Tensor dy = random_tensor<double>(y.shape(), 5);
    const ReferencePool r = reference_pool(max, x.to_vector<double>(), dy.to_vector<double>(),
                                           batch, steps, channels, p);
    EXPECT_EQ(y.shape(),
              (Shape{batch, static_cast<std::int64_t>(r.y.size()) / (batch * channels), channels}))
        << what;
    expect_all_near(y.to_vector<double>(), r.y, 1e-12, what + " forward");
    expect_all_near(pool->backward(dy).to_vector<double>(), r.dx, 1e-12, what + " backward");
  }
}

// The CPU walks channels in tiles of 64, then 16, then one at a time: 83
// channels take all three.
constexpr std::int64_t kChannelsOfEveryTile = 64 + 16 + 3;

TEST(Pooling1D, MaxPoolingMatchesReferenceForEveryWindow) {
  expect_matches_reference(true, random_tensor<double>({2, 11, 3}, 1));
  expect_matches_reference(true, random_tensor<double>({2, 11, kChannelsOfEveryTile}, 7));
}

TEST(Pooling1D, AveragePoolingCountsOnlyRealStepsForEveryWindow) {
  expect_matches_reference(false, random_tensor<double>({2, 11, 3}, 2));
  expect_matches_reference(false, random_tensor<double>({2, 11, kChannelsOfEveryTile}, 8));
}

TEST(Pooling1D, MaxGradientGoesToTheFirstOfTiedMaxima) {
  // Values drawn from {0, 1} tie often; overlapping windows (stride 1) share inputs.
  std::vector<double> values = testing::random_values(2 * 10 * 2, 3, 0.0, 2.0);
  for (double& v : values) v = std::floor(v);
  expect_matches_reference(true, Tensor::from_vector<double>(values, {2, 10, 2}));
  std::vector<double> wide = testing::random_values(2 * 10 * kChannelsOfEveryTile, 9, 0.0, 2.0);
  for (double& v : wide) v = std::floor(v);
  expect_matches_reference(true, Tensor::from_vector<double>(wide, {2, 10, kChannelsOfEveryTile}));
  MaxPooling1D pool(3, {1, "valid", ""});
  const Tensor x = Tensor::from_vector<double>({1, 1, 1, 1}, {1, 4, 1});
  pool.forward(x, {});
  // Windows [0..2] and [1..3] both pick their first step.
  EXPECT_EQ(pool.backward(Tensor::from_vector<double>({1, 10}, {1, 2, 1})).to_vector<double>(),
            (std::vector<double>{1, 10, 0, 0}));
}

TEST(Pooling1D, GlobalPoolingReducesEveryStep) {
  const Tensor x = random_tensor<double>({3, 7, 4}, 4);
  const auto xv = x.to_vector<double>();
  GlobalMaxPooling1D global_max;
  GlobalAveragePooling1D global_average;
  const Tensor max = global_max.forward(x, {}), mean = global_average.forward(x, {});
  EXPECT_EQ(max.shape(), (Shape{3, 4}));
  std::vector<double> expected_max(12, -1e300), expected_mean(12, 0.0);
  for (std::int64_t b = 0; b < 3; ++b)
    for (std::int64_t i = 0; i < 7; ++i)
      for (std::int64_t c = 0; c < 4; ++c) {
        const double v = xv[(b * 7 + i) * 4 + c];
        expected_max[b * 4 + c] = std::max(expected_max[b * 4 + c], v);
        expected_mean[b * 4 + c] += v / 7.0;
      }
  expect_all_near(max.to_vector<double>(), expected_max, 1e-12);
  expect_all_near(mean.to_vector<double>(), expected_mean, 1e-12);
  EXPECT_EQ(global_max.backward(random_tensor<double>({3, 4}, 5)).shape(), x.shape());
}

TEST(Pooling1D, GradientsMatchFiniteDifferences) {
  // Distinct random values keep every maximum a strict one.
  const Tensor x = random_tensor<double>({2, 9, 2}, 6);
  MaxPooling1D max_pool(3, {2, "same", ""});
  AveragePooling1D average_pool(4, {3, "same", ""});
  GlobalMaxPooling1D global_max;
  GlobalAveragePooling1D global_average;
  for (Layer* layer : std::vector<Layer*>{&max_pool, &average_pool, &global_max, &global_average}) {
    testing::expect_gradients_match_finite_differences(*layer, x.clone(), {}, true);
  }
}

TEST(Pooling1D, ShapesAndConfigFollowKeras) {
  EXPECT_EQ(MaxPooling1D(5).output_shape({494, 32}), (Shape{98, 32}));
  EXPECT_EQ(MaxPooling1D(2, {1, "same", ""}).output_shape({7, 3}), (Shape{7, 3}));
  EXPECT_EQ(AveragePooling1D(3, {2, "same", ""}).output_shape({10, 3}), (Shape{5, 3}));
  EXPECT_EQ(GlobalAveragePooling1D().output_shape({92, 32}), (Shape{32}));
  const MaxPooling1D pool(4);
  const LayerConfig config = pool.config();
  EXPECT_EQ(config.at("pool_size"), "4");
  EXPECT_EQ(config.at("strides"), "4");
  EXPECT_EQ(config.at("padding"), "valid");
  for (const auto& [type, layer_config] : std::vector<std::pair<std::string, LayerConfig>>{
           {"MaxPooling1D", config},
           {"AveragePooling1D", AveragePooling1D(3, {1, "same", ""}).config()},
           {"GlobalMaxPooling1D", {}},
           {"GlobalAveragePooling1D", {}}}) {
    const std::unique_ptr<Layer> rebuilt = create_layer(type, "p", layer_config);
    EXPECT_EQ(rebuilt->type(), type);
    EXPECT_EQ(rebuilt->config(), layer_config);
    EXPECT_EQ(rebuilt->count_params(), 0);
  }
}

TEST(Pooling1D, RejectsBadInputsAndPadding) {
  MaxPooling1D pool(2, {std::nullopt, "valid", "my_pool"});
  expect_error_mentions(
      [&] {
        pool.forward(random_tensor<float>({2, 8}, 1), {});
      },
      {"my_pool", "[batch, steps, channels]"});
  expect_error_mentions([] { MaxPooling1D(2, {std::nullopt, "causal", "p"}); }, {"p", "causal"});
  GlobalMaxPooling1D global("my_global");
  expect_error_mentions([&] { global.output_shape({4}); },
                        {"my_global", "[batch, steps, channels]"});
}

}  // namespace
}  // namespace cuseq
