// Regularization ops, initializers and layer configs.
#include <gtest/gtest.h>

#include <cmath>

#include "layer_gradient_check.h"
#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::expect_error_mentions;
using testing::random_tensor;

TEST(Regularization, PenaltyIsL1SumOfAbsolutesPlusL2SumOfSquares) {
  const Tensor w = random_tensor<float>({70, 90}, 1);  // several chunks
  double absolutes = 0, squares = 0;
  for (const float v : w.to_vector<float>()) {
    absolutes += std::fabs(v);
    squares += double(v) * v;
  }
  EXPECT_NEAR(ops::regularization_penalty(w, l1_l2(0.01, 0.02)).item(),
              0.01 * absolutes + 0.02 * squares, 1e-4);
  EXPECT_NEAR(ops::regularization_penalty(w, l2(0.5)).item(), 0.5 * squares, 1e-3);
  EXPECT_EQ(ops::regularization_penalty(w, l1(0.1)).shape(), Shape{});
}

TEST(Regularization, GradientMatchesFiniteDifferencesOfThePenalty) {
  Tensor w = random_tensor<double>({4, 5}, 2);
  const Regularizer regularizer = l1_l2(0.3, 0.7);
  Tensor grad = random_tensor<double>({4, 5}, 3);
  const auto before = grad.to_vector<double>();
  ops::add_regularization_grad(w, regularizer, grad);
  std::vector<double> added = grad.to_vector<double>();
  for (std::size_t i = 0; i < added.size(); ++i) added[i] -= before[i];
  expect_all_near(added,
                  testing::numeric_gradient(
                      w, [&] { return ops::regularization_penalty(w, regularizer).item(); }),
                  1e-6);
}

TEST(Regularization, SignOfZeroIsZero) {
  const Tensor w = Tensor::zeros({3});
  Tensor grad = Tensor::zeros({3});
  ops::add_regularization_grad(w, l1(1.0), grad);
  EXPECT_EQ(grad.to_vector<float>(), std::vector<float>(3, 0.0f));
}

TEST(Regularization, RejectsMismatchedGradients) {
  const Tensor w = Tensor::zeros({3});
  Tensor grad = Tensor::zeros({4});
  expect_error_mentions([&] { ops::add_regularization_grad(w, l2(), grad); },
                        {"add_regularization_grad", "grad"});
}

TEST(Initializers, FansFollowKeras) {
  EXPECT_EQ(compute_fans({3, 5}).fan_in, 3);
  EXPECT_EQ(compute_fans({3, 5}).fan_out, 5);
  EXPECT_EQ(compute_fans({2, 3, 5}).fan_in, 6);
  EXPECT_EQ(compute_fans({2, 3, 5}).fan_out, 10);
}

TEST(Initializers, SameGeneratorSeedGivesSameWeights) {
  Tensor a = Tensor::empty({4, 6}), b = Tensor::empty({4, 6});
  Generator first(42), second(42);
  initializers::glorot_uniform(a, first);
  initializers::glorot_uniform(b, second);
  EXPECT_EQ(a.to_vector<float>(), b.to_vector<float>());
  initializers::glorot_uniform(b, second);
  EXPECT_NE(a.to_vector<float>(), b.to_vector<float>());
}

TEST(Initializers, ByNameFillsConstantsAndRejectsUnknownNames) {
  Tensor w = Tensor::empty({3});
  Generator generator;
  initializers::initialize("ones", w, generator);
  EXPECT_EQ(w.to_vector<float>(), std::vector<float>(3, 1.0f));
  initializers::initialize("zeros", w, generator);
  EXPECT_EQ(w.to_vector<float>(), std::vector<float>(3, 0.0f));
  expect_error_mentions([&] { initializers::initialize("he_normal", w, generator); },
                        {"he_normal"});
}

void expect_config_round_trip(const Layer& layer) {
  const std::unique_ptr<Layer> rebuilt = create_layer(layer.type(), layer.name(), layer.config());
  EXPECT_EQ(rebuilt->type(), layer.type());
  EXPECT_EQ(rebuilt->name(), layer.name());
  EXPECT_EQ(rebuilt->config(), layer.config()) << layer.type();
}

TEST(LayerConfig, EveryLayerRoundTripsThroughCreateLayer) {
  expect_config_round_trip(Embedding(100, 8, EmbeddingOptions{20, true, l2(0.001), ""}));
  expect_config_round_trip(Embedding(100, 8));
  expect_config_round_trip(
      Dense(16, DenseOptions{"relu", false, l1(0.01), l2(0.02), l1_l2(0.1, 0.2), ""}));
  expect_config_round_trip(Dense(1, "sigmoid"));
  expect_config_round_trip(Dropout(0.3, DropoutOptions{17, ""}));
  expect_config_round_trip(Dropout(0.5));
  expect_config_round_trip(Flatten());
  expect_config_round_trip(ActivationLayer("softmax"));
}

TEST(LayerConfig, KeepsConstructorArgumentsAsKerasNames) {
  const LayerConfig config = Dense(16, DenseOptions{"relu", true, l2(0.01), {}, {}, ""}).config();
  EXPECT_EQ(config.at("units"), "16");
  EXPECT_EQ(config.at("activation"), "relu");
  EXPECT_EQ(config.at("use_bias"), "true");
  EXPECT_EQ(config.at("kernel_regularizer"), "L1L2(l1=0,l2=0.01)");
  EXPECT_EQ(Embedding(10, 2).config().at("input_length"), "None");
}

TEST(LayerConfig, MalformedValuesNameTheLayerTypeAndKey) {
  LayerConfig config = Dense(4).config();
  config["units"] = "four";
  expect_error_mentions([&] { create_layer("Dense", "d", config); }, {"Dense", "units", "four"});
  config.erase("units");
  expect_error_mentions([&] { create_layer("Dense", "d", config); }, {"Dense", "units"});
}

}  // namespace
}  // namespace cuseq
