// Dropout, Flatten and Activation layers.
#include <gtest/gtest.h>

#include <cmath>

#include "layer_gradient_check.h"
#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::expect_error_mentions;
using testing::random_tensor;

const ForwardContext kTraining{true, Tensor()};

TEST(Dropout, IsTheIdentityAtInference) {
  Dropout dropout(0.5, {1, ""});
  const Tensor x = random_tensor<float>({4, 5}, 1);
  EXPECT_EQ(dropout.forward(x, {}).to_vector<float>(), x.to_vector<float>());
  const Tensor dy = random_tensor<float>({4, 5}, 2);
  EXPECT_EQ(dropout.backward(dy).to_vector<float>(), dy.to_vector<float>());
}

TEST(Dropout, KeepsAboutOneMinusRateAndPreservesTheMean) {
  const double rate = 0.3;
  Dropout dropout(rate, {2, ""});
  const Tensor ones = Tensor::from_vector<double>(std::vector<double>(20000, 1.0), {100, 200});
  const auto y = dropout.forward(ones, kTraining).to_vector<double>();
  double kept = 0, sum = 0;
  for (const double v : y) {
    EXPECT_TRUE(v == 0.0 || std::fabs(v - 1 / (1 - rate)) < 1e-12) << v;
    kept += v != 0.0;
    sum += v;
  }
  EXPECT_NEAR(kept / y.size(), 1 - rate, 0.015);
  EXPECT_NEAR(sum / y.size(), 1.0, 0.025);
}

TEST(Dropout, MaskBitsComeFromPhiloxAgainstTheRateThreshold) {
  const double rate = 0.25;
  Dropout dropout(rate, {3, ""});
  const Generator::Stream stream = Generator(3).next_stream();
  const auto y =
      dropout.forward(Tensor::from_vector<float>(std::vector<float>(64, 1.0f), {8, 8}), kTraining)
          .to_vector<float>();
  for (std::size_t i = 0; i < y.size(); ++i) {
    const bool kept =
        philox_bits(stream.seed, stream.stream, i) >= std::uint32_t(rate * 4294967296.0);
    EXPECT_EQ(y[i] != 0.0f, kept) << "element " << i;
  }
}

TEST(Dropout, EachTrainingForwardDrawsAFreshMask) {
  Dropout dropout(0.5, {4, ""});
  const Tensor x = Tensor::from_vector<float>(std::vector<float>(256, 1.0f), {16, 16});
  EXPECT_NE(dropout.forward(x, kTraining).to_vector<float>(),
            dropout.forward(x, kTraining).to_vector<float>());
}

TEST(Dropout, GradientWithAFixedMaskMatchesFiniteDifferences) {
  Dropout dropout(0.4, {5, ""});
  testing::expect_gradients_match_finite_differences(dropout, random_tensor<double>({3, 4}, 3),
                                                     kTraining, true,
                                                     [&] { dropout.generator().set_counter(0); });
}

TEST(Dropout, UnseededLayersDrawTheirSeedFromTheModelGenerator) {
  Dropout first(0.5), second(0.5);
  Generator model_generator(9);
  first.build({8}, DType::float32, Device::cpu(), model_generator);
  second.build({8}, DType::float32, Device::cpu(), model_generator);
  EXPECT_NE(first.generator().seed(), second.generator().seed());
}

TEST(Dropout, RejectsRatesOutsideZeroToOne) {
  expect_error_mentions([] { Dropout(1.0); }, {"dropout", "[0, 1)"});
  expect_error_mentions([] { Dropout(-0.1); }, {"dropout", "[0, 1)"});
}

TEST(Flatten, CollapsesAllButTheBatchAxis) {
  Flatten flatten;
  EXPECT_EQ(flatten.output_shape({20, 8}), Shape({160}));
  const Tensor x = random_tensor<float>({2, 3, 4}, 4);
  const Tensor y = flatten.forward(x, {});
  EXPECT_EQ(y.shape(), Shape({2, 12}));
  EXPECT_EQ(y.to_vector<float>(), x.to_vector<float>());
  EXPECT_EQ(flatten.backward(y).shape(), Shape({2, 3, 4}));
  EXPECT_EQ(flatten.count_params(), 0);
}

TEST(Flatten, DenseOfOneUnitAfterFlattenCounts161Parameters) {
  Flatten flatten;
  Dense dense(1);
  Generator generator(1);
  dense.build(flatten.output_shape({20, 8}), DType::float32, Device::cpu(), generator);
  EXPECT_EQ(dense.count_params(), 161);
}

TEST(ActivationLayer, GradientsMatchFiniteDifferencesForEveryActivation) {
  for (const std::string name : {"linear", "relu", "sigmoid", "tanh", "softmax"}) {
    ActivationLayer layer(name);
    EXPECT_EQ(layer.type(), "Activation");
    testing::expect_gradients_match_finite_differences(layer, random_tensor<double>({3, 4}, 7), {},
                                                       true);
  }
}

TEST(ActivationLayer, ComputesTheNamedFunction) {
  ActivationLayer layer("tanh");
  const Tensor x = random_tensor<float>({2, 3}, 8);
  std::vector<double> expected;
  for (const float v : x.to_vector<float>()) expected.push_back(std::tanh(double(v)));
  expect_all_near(layer.forward(x, {}).to_vector<float>(), expected, 1e-6);
  expect_error_mentions([] { ActivationLayer("swish"); }, {"swish"});
}

}  // namespace
}  // namespace cuseq
