// LSTM against Keras' equations, its gradients against finite differences,
// and its Keras-facing behaviour (weights, config, masks, dropout, state).
#include <gtest/gtest.h>

#include "recurrent_reference.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

TEST(LSTM, OutputsFollowKerasEquationsForEveryOption) {
  testing::for_each_variant([](const RecurrentOptions& o, const testing::RecurrentCase& c) {
    testing::expect_matches_reference("LSTM", o, c);
  });
}

TEST(LSTM, GradientsMatchFiniteDifferencesForEveryOption) {
  testing::for_each_variant([](const RecurrentOptions& o, const testing::RecurrentCase& c) {
    testing::expect_gradients_are_exact("LSTM", o, c);
  });
}

TEST(LSTM, Float32MatchesTheFloat64Reference) {
  testing::RecurrentFixture f("LSTM", RecurrentOptions{}, testing::RecurrentCase{});
  LSTM single(3);
  Generator generator;
  single.build(Shape{4, 3}, DType::float32, Device::cpu(), generator);
  std::vector<Tensor> weights;
  for (const Tensor& w : f.layer->get_weights()) {
    const std::vector<double> v = w.to_vector<double>();
    weights.push_back(Tensor::from_vector(std::vector<float>(v.begin(), v.end()), w.shape()));
  }
  single.set_weights(weights);
  const std::vector<double> x = f.x.to_vector<double>();
  const Tensor x32 = Tensor::from_vector(std::vector<float>(x.begin(), x.end()), f.x.shape());
  const Tensor y = single.forward(x32, {});
  expect_all_near(y.to_vector<float>(), testing::reference_forward(f.reference, x).output, 1e-5);
}

TEST(LSTM, ParameterCountMatchesKeras) {
  LSTM layer(32);
  Generator generator;
  layer.build(Shape{10, 8}, DType::float32, Device::cpu(), generator);
  EXPECT_EQ(layer.count_params(), 4 * (32 * (8 + 32) + 32));
  const std::vector<Tensor> w = layer.get_weights();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].shape(), (Shape{8, 128}));
  EXPECT_EQ(w[1].shape(), (Shape{32, 128}));
  EXPECT_EQ(w[2].shape(), (Shape{128}));
}

TEST(LSTM, UnitForgetBiasStartsOnlyTheForgetGateAtOne) {
  LSTM layer(4);
  Generator generator;
  layer.build(Shape{3, 2}, DType::float32, Device::cpu(), generator);
  const std::vector<float> bias = layer.get_weights()[2].to_vector<float>();
  for (int n = 0; n < 16; ++n) EXPECT_EQ(bias[n], (n >= 4 && n < 8) ? 1.0f : 0.0f) << n;
}

TEST(LSTM, RecurrentKernelStartsWithOrthonormalRows) {
  LSTM layer(5);
  Generator generator(3);
  layer.build(Shape{3, 2}, DType::float64, Device::cpu(), generator);
  const std::vector<double> r = layer.get_weights()[1].to_vector<double>();  // [5, 20]
  for (int a = 0; a < 5; ++a) {
    for (int b = 0; b < 5; ++b) {
      double dot = 0;
      for (int n = 0; n < 20; ++n) dot += r[a * 20 + n] * r[b * 20 + n];
      EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-12) << a << ", " << b;
    }
  }
}

TEST(LSTM, RecurrentDropoutMaskIsSameAtEveryTimestep) {
  // The reference applies one mask per (sample, unit) at every step; a mask
  // redrawn per step would give other outputs.
  RecurrentOptions o;
  o.recurrent_dropout = 0.5;
  o.return_sequences = true;
  testing::RecurrentCase c;
  c.steps = 6;
  c.units = 8;
  c.training = true;
  testing::expect_matches_reference("LSTM", o, c);
}

TEST(LSTM, DropoutMasksDifferBetweenSamplesAndBetweenBatches) {
  Tensor first = Tensor::empty(Shape{4, 64}, DType::float32);
  Tensor second = Tensor::empty(Shape{4, 64}, DType::float32);
  Generator generator(5);
  ops::dropout_mask(0.5, generator.next_stream(), first);
  ops::dropout_mask(0.5, generator.next_stream(), second);
  const std::vector<float> a = first.to_vector<float>(), b = second.to_vector<float>();
  EXPECT_NE(std::vector<float>(a.begin(), a.begin() + 64),
            std::vector<float>(a.begin() + 64, a.begin() + 128));
  EXPECT_NE(a, b);
  for (const float scale : a) EXPECT_TRUE(scale == 0.0f || scale == 2.0f) << scale;

  // The layer draws fresh masks at each training forward.
  RecurrentOptions o;
  o.recurrent_dropout = 0.5;
  LSTM layer(16, o);
  const Tensor x = random_tensor<float>({2, 5, 3}, 9);
  ForwardContext training;
  training.training = true;
  EXPECT_NE(layer.forward(x, training).to_vector<float>(),
            layer.forward(x, training).to_vector<float>());
  EXPECT_EQ(layer.forward(x, {}).to_vector<float>(), layer.forward(x, {}).to_vector<float>());
}

TEST(LSTM, MaskedStepsKeepTheStateAndOutputZeros) {
  RecurrentOptions o;
  o.return_sequences = true;
  LSTM layer(3, o);
  const Tensor x = random_tensor<float>({1, 4, 2}, 4);
  ForwardContext context;
  context.mask = Tensor::from_vector(std::vector<float>{0, 1, 0, 1}, Shape{1, 4});
  const RecurrentResult masked = layer.forward_with_state(x, context);
  const std::vector<float> y = masked.output.to_vector<float>();
  for (int j = 0; j < 3; ++j) {
    EXPECT_EQ(y[j], 0.0f);
    EXPECT_EQ(y[6 + j], 0.0f);
  }
  // Only the real steps, packed, give the same final state.
  const std::vector<float> xv = x.to_vector<float>();
  const Tensor packed =
      Tensor::from_vector(std::vector<float>{xv[2], xv[3], xv[6], xv[7]}, Shape{1, 2, 2});
  expect_all_near(masked.states[0].to_vector<float>(),
                  layer.forward_with_state(packed, {}).states[0].to_vector<float>(), 1e-6);
}

TEST(LSTM, StatefulLayerCarriesStatesToTheNextBatch) {
  RecurrentOptions o;
  o.stateful = true;
  LSTM layer(3, o);
  const Tensor x = random_tensor<float>({2, 6, 2}, 5);
  const std::vector<float> whole = layer.forward(x, {}).to_vector<float>();
  layer.reset_states();
  const std::vector<float> xv = x.to_vector<float>();
  std::vector<float> a, b;
  for (int s = 0; s < 2; ++s) {
    a.insert(a.end(), xv.begin() + s * 12, xv.begin() + s * 12 + 6);
    b.insert(b.end(), xv.begin() + s * 12 + 6, xv.begin() + s * 12 + 12);
  }
  layer.forward(Tensor::from_vector(a, Shape{2, 3, 2}), {});
  expect_all_near(layer.forward(Tensor::from_vector(b, Shape{2, 3, 2}), {}).to_vector<float>(),
                  whole, 1e-6);
}

TEST(LSTM, ConfigRebuildsTheSameLayer) {
  RecurrentOptions o;
  o.return_sequences = true;
  o.go_backwards = true;
  o.recurrent_dropout = 0.25;
  o.unit_forget_bias = false;
  o.recurrent_activation = "tanh";
  o.name = "encoder";
  LSTM layer(7, o);
  const auto copy = create_layer("LSTM", "copy", layer.config());
  EXPECT_EQ(copy->type(), "LSTM");
  EXPECT_EQ(copy->config(), layer.config());
}

TEST(LSTM, StackedLayersPassSequencesAndMasks) {
  RecurrentOptions sequences;
  sequences.return_sequences = true;
  LSTM lower(4, sequences);
  LSTM upper(3);
  const Tensor x = random_tensor<float>({2, 5, 3}, 6);
  ForwardContext context;
  context.mask = Tensor::from_vector(std::vector<float>{1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, Shape{2, 5});
  const Tensor hidden = lower.forward(x, context);
  EXPECT_EQ(hidden.shape(), (Shape{2, 5, 4}));
  ForwardContext next;
  next.mask = lower.output_mask(x, context.mask);
  const Tensor y = upper.forward(hidden, next);
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  const Tensor dx = lower.backward(upper.backward(Tensor::zeros(y.shape())));
  EXPECT_EQ(dx.shape(), x.shape());
}

TEST(LSTM, WrongFeatureCountIsAnErrorNamingTheLayer) {
  RecurrentOptions named;
  named.name = "lstm_x";
  LSTM layer(3, named);
  layer.forward(random_tensor<float>({1, 2, 4}, 1), {});
  testing::expect_error_mentions(
      [&] {
        layer.forward(random_tensor<float>({1, 2, 5}, 1), {});
      },
      {"lstm_x", "4 input features"});
}

}  // namespace
}  // namespace cuseq
