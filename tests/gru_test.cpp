// GRU (reset_after=True) against Keras' equations and finite differences.
#include <gtest/gtest.h>

#include "recurrent_reference.h"

namespace cuseq {
namespace {

TEST(GRU, OutputsFollowKerasEquationsForEveryOption) {
  testing::for_each_variant([](const RecurrentOptions& o, const testing::RecurrentCase& c) {
    testing::expect_matches_reference("GRU", o, c);
  });
}

TEST(GRU, GradientsMatchFiniteDifferencesForEveryOption) {
  testing::for_each_variant([](const RecurrentOptions& o, const testing::RecurrentCase& c) {
    testing::expect_gradients_are_exact("GRU", o, c);
  });
}

TEST(GRU, ParameterCountAndBiasLayoutMatchKerasResetAfter) {
  GRU layer(32);
  Generator generator;
  layer.build(Shape{10, 8}, DType::float32, Device::cpu(), generator);
  EXPECT_EQ(layer.count_params(), 3 * (32 * (8 + 32) + 2 * 32));
  const std::vector<Tensor> w = layer.get_weights();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].shape(), (Shape{8, 96}));
  EXPECT_EQ(w[1].shape(), (Shape{32, 96}));
  EXPECT_EQ(w[2].shape(), (Shape{2, 96}));
  EXPECT_EQ(layer.config().at("reset_after"), "true");
}

TEST(GRU, RecurrentDropoutMaskIsSameAtEveryTimestep) {
  RecurrentOptions o;
  o.recurrent_dropout = 0.5;
  o.dropout = 0.2;
  o.return_sequences = true;
  testing::RecurrentCase c;
  c.steps = 6;
  c.units = 8;
  c.training = true;
  testing::expect_matches_reference("GRU", o, c);
}

TEST(GRU, ConfigRebuildsTheSameLayer) {
  RecurrentOptions o;
  o.return_state = true;
  o.dropout = 0.5;
  o.kernel_regularizer = l2(0.01);
  GRU layer(5, o);
  EXPECT_EQ(create_layer("GRU", "copy", layer.config())->config(), layer.config());
}

}  // namespace
}  // namespace cuseq
