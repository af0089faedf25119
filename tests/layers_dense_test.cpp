// Dense against reference loops and finite differences.
#include <gtest/gtest.h>

#include <cmath>

#include "layer_gradient_check.h"
#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::expect_error_mentions;
using testing::random_tensor;

double reference_activation(const std::string& name, double x) {
  if (name == "relu") return x > 0 ? x : 0;
  if (name == "sigmoid") return 1 / (1 + std::exp(-x));
  if (name == "tanh") return std::tanh(x);
  return x;
}

// y[r, u] = f(sum_i x[r, i] * kernel[i, u] + bias[u]); softmax over u.
std::vector<double> reference_dense(const std::vector<double>& x, const std::vector<double>& kernel,
                                    const std::vector<double>& bias, std::int64_t rows,
                                    std::int64_t in, std::int64_t units,
                                    const std::string& activation) {
  std::vector<double> y(static_cast<std::size_t>(rows * units));
  for (std::int64_t r = 0; r < rows; ++r) {
    double total = 0;
    for (std::int64_t u = 0; u < units; ++u) {
      double z = bias.empty() ? 0 : bias[u];
      for (std::int64_t i = 0; i < in; ++i) z += x[r * in + i] * kernel[i * units + u];
      y[r * units + u] =
          activation == "softmax" ? std::exp(z) : reference_activation(activation, z);
      total += y[r * units + u];
    }
    if (activation == "softmax") {
      for (std::int64_t u = 0; u < units; ++u) y[r * units + u] /= total;
    }
  }
  return y;
}

std::unique_ptr<Dense> built_dense(const std::string& activation, const Shape& input_shape,
                                   DType dtype, bool use_bias = true) {
  DenseOptions options;
  options.activation = activation;
  options.use_bias = use_bias;
  auto dense = std::make_unique<Dense>(4, options);
  Generator generator(7);
  dense->build(input_shape, dtype, Device::cpu(), generator);
  return dense;
}

TEST(Dense, OutputMatchesReferenceForEveryActivation) {
  for (const std::string activation : {"linear", "relu", "sigmoid", "tanh", "softmax"}) {
    Dense dense(4, activation);
    Generator generator(7);
    dense.build({3}, DType::float32, Device::cpu(), generator);
    dense.set_weights({random_tensor<float>({3, 4}, 1), random_tensor<float>({4}, 2)});
    const Tensor x = random_tensor<float>({5, 3}, 3);
    const Tensor y = dense.forward(x, {});
    const auto xv = x.to_vector<float>();
    const auto kv = dense.get_weights()[0].to_vector<float>();
    const auto bv = dense.get_weights()[1].to_vector<float>();
    expect_all_near(y.to_vector<float>(),
                    reference_dense({xv.begin(), xv.end()}, {kv.begin(), kv.end()},
                                    {bv.begin(), bv.end()}, 5, 3, 4, activation),
                    1e-5, activation);
  }
}

TEST(Dense, AppliesToTheLastAxisOfSequences) {
  Dense dense(4);
  Generator generator(7);
  dense.build({6, 3}, DType::float32, Device::cpu(), generator);
  EXPECT_EQ(dense.output_shape({6, 3}), Shape({6, 4}));
  const Tensor x = random_tensor<float>({2, 6, 3}, 4);
  const Tensor y = dense.forward(x, {});
  EXPECT_EQ(y.shape(), Shape({2, 6, 4}));
  const auto xv = x.to_vector<float>();
  const auto kv = dense.get_weights()[0].to_vector<float>();
  expect_all_near(y.to_vector<float>(),
                  reference_dense({xv.begin(), xv.end()}, {kv.begin(), kv.end()},
                                  std::vector<double>(4, 0.0), 12, 3, 4, "linear"),
                  1e-5);
}

TEST(Dense, InitialKernelIsGlorotUniformAndBiasZero) {
  Dense dense(40);
  Generator generator(11);
  dense.build({60}, DType::float32, Device::cpu(), generator);
  const double limit = std::sqrt(6.0 / (60 + 40));
  double largest = 0;
  for (const float w : dense.get_weights()[0].to_vector<float>())
    largest = std::max(largest, double(std::fabs(w)));
  EXPECT_LE(largest, limit);
  EXPECT_GT(largest, 0.9 * limit);
  for (const float b : dense.get_weights()[1].to_vector<float>()) EXPECT_EQ(b, 0.0f);
}

TEST(Dense, GradientsMatchFiniteDifferencesForEveryActivation) {
  for (const std::string activation : {"linear", "relu", "sigmoid", "tanh", "softmax"}) {
    auto built = built_dense(activation, {2, 3}, DType::float64);
    Dense& dense = *built;
    dense.set_weights({random_tensor<double>({3, 4}, 5), random_tensor<double>({4}, 6)});
    testing::expect_gradients_match_finite_differences(dense, random_tensor<double>({2, 2, 3}, 8),
                                                       {}, true);
  }
}

TEST(Dense, WithoutBiasHasOnlyAKernel) {
  auto built = built_dense("tanh", {3}, DType::float64, false);
  Dense& dense = *built;
  ASSERT_EQ(dense.parameters().size(), 1u);
  EXPECT_EQ(dense.count_params(), 12);
  testing::expect_gradients_match_finite_differences(dense, random_tensor<double>({2, 3}, 9), {},
                                                     true);
}

TEST(Dense, BackwardAccumulatesIntoWeightGradients) {
  auto built = built_dense("linear", {3}, DType::float64);
  Dense& dense = *built;
  const Tensor x = random_tensor<double>({2, 3}, 10);
  const Tensor dy = random_tensor<double>({2, 4}, 11);
  dense.zero_grad();
  dense.forward(x, {});
  dense.backward(dy);
  const auto once = dense.parameters()[0]->grad.to_vector<double>();
  dense.forward(x, {});
  dense.backward(dy);
  std::vector<double> twice(once.size());
  for (std::size_t i = 0; i < once.size(); ++i) twice[i] = 2 * once[i];
  expect_all_near(dense.parameters()[0]->grad.to_vector<double>(), twice, 1e-12);
}

TEST(Dense, FrozenLayerLeavesWeightGradientsUntouched) {
  auto built = built_dense("relu", {3}, DType::float64);
  Dense& dense = *built;
  dense.trainable = false;
  dense.zero_grad();
  dense.forward(random_tensor<double>({2, 3}, 12), {});
  const Tensor dx = dense.backward(random_tensor<double>({2, 4}, 13));
  EXPECT_EQ(dx.shape(), Shape({2, 3}));
  for (const Parameter* parameter : dense.parameters()) {
    for (const double g : parameter->grad.to_vector<double>()) EXPECT_EQ(g, 0.0);
  }
}

TEST(Dense, WeightsAreKernelThenBiasInKerasLayout) {
  auto built = built_dense("", {3}, DType::float32);
  Dense& dense = *built;
  const std::vector<Tensor> weights = dense.get_weights();
  ASSERT_EQ(weights.size(), 2u);
  EXPECT_EQ(weights[0].shape(), Shape({3, 4}));
  EXPECT_EQ(weights[1].shape(), Shape({4}));
  const Tensor kernel = random_tensor<float>({3, 4}, 14), bias = random_tensor<float>({4}, 15);
  dense.set_weights({kernel, bias});
  EXPECT_EQ(dense.get_weights()[0].to_vector<float>(), kernel.to_vector<float>());
  EXPECT_EQ(dense.get_weights()[1].to_vector<float>(), bias.to_vector<float>());
}

TEST(Dense, SetWeightsWithWrongShapesNamesTheLayerAndWeight) {
  auto built = built_dense("", {3}, DType::float32);
  Dense& dense = *built;
  expect_error_mentions(
      [&] {
        dense.set_weights({Tensor::zeros({4, 3}), Tensor::zeros({4})});
      },
      {dense.name(), "kernel", "[3, 4]", "[4, 3]"});
  expect_error_mentions(
      [&] {
        dense.set_weights({Tensor::zeros({3, 4})});
      },
      {dense.name(), "expected 2", "got 1"});
}

TEST(Dense, RejectsInputsOfWrongRankFeaturesOrDtype) {
  auto built = built_dense("", {3}, DType::float32);
  Dense& dense = *built;
  expect_error_mentions([&] { dense.forward(Tensor::zeros({3}), {}); }, {dense.name(), "[batch"});
  expect_error_mentions(
      [&] {
        dense.forward(Tensor::zeros({2, 5}), {});
      },
      {dense.name(), "3 input features", "[2, 5]"});
  expect_error_mentions(
      [&] {
        dense.forward(Tensor::zeros({2, 3}, DType::float64), {});
      },
      {dense.name(), "float32", "float64"});
}

TEST(Dense, KeepsTheIncomingMask) {
  Dense dense(2);
  const Tensor mask = Tensor::from_vector<float>({1, 0}, {1, 2});
  EXPECT_EQ(dense.output_mask(Tensor(), mask).to_vector<float>(), mask.to_vector<float>());
}

}  // namespace
}  // namespace cuseq
