// SimpleRNN against Keras' equations and finite differences.
#include <gtest/gtest.h>

#include "recurrent_reference.h"

namespace cuseq {
namespace {

TEST(SimpleRNN, OutputsFollowKerasEquationsForEveryOption) {
  testing::for_each_variant([](const RecurrentOptions& o, const testing::RecurrentCase& c) {
    testing::expect_matches_reference("SimpleRNN", o, c);
  });
}

TEST(SimpleRNN, GradientsMatchFiniteDifferencesForEveryOption) {
  testing::for_each_variant([](const RecurrentOptions& o, const testing::RecurrentCase& c) {
    testing::expect_gradients_are_exact("SimpleRNN", o, c);
  });
}

TEST(SimpleRNN, ParameterCountMatchesKeras) {
  SimpleRNN layer(32);
  Generator generator;
  layer.build(Shape{10, 8}, DType::float32, Device::cpu(), generator);
  EXPECT_EQ(layer.count_params(), 32 * (8 + 32) + 32);
  EXPECT_EQ(layer.config().count("recurrent_activation"), 0u);
}

TEST(SimpleRNN, SoftmaxActivationIsRejected) {
  RecurrentOptions o;
  o.activation = "softmax";
  o.name = "rnn_softmax";
  testing::expect_error_mentions([&] { SimpleRNN layer(3, o); }, {"rnn_softmax", "softmax"});
}

}  // namespace
}  // namespace cuseq
