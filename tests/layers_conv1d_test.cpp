// Conv1D: Keras shapes, parameter counts, config and weights, and float64
// finite-difference gradients for the input, kernel and bias.
#include <gtest/gtest.h>

#include "conv_reference.h"
#include "layer_gradient_check.h"
#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::expect_error_mentions;
using testing::random_tensor;

TEST(Conv1D, ImdbConvnetShapesFollowKeras) {
  // Embedding(10000, 128, input_length=500) gives [500, 128]; then
  // Conv1D(32, 7) -> MaxPooling1D(5) -> Conv1D(32, 7) -> GlobalMaxPooling1D.
  const Conv1D conv1(32, 7), conv2(32, 7);
  const MaxPooling1D pool(5);
  const GlobalMaxPooling1D global_pool;
  const Shape a = conv1.output_shape({500, 128});
  const Shape b = pool.output_shape(a);
  const Shape c = conv2.output_shape(b);
  const Shape d = global_pool.output_shape(c);
  EXPECT_EQ(a, (Shape{494, 32}));
  EXPECT_EQ(b, (Shape{98, 32}));
  EXPECT_EQ(c, (Shape{92, 32}));
  EXPECT_EQ(d, (Shape{32}));
}

TEST(Conv1D, CountsKernelAndBiasParameters) {
  Conv1D conv(32, 7);
  Generator generator(1);
  conv.build({500, 128}, DType::float32, Device::cpu(), generator);
  EXPECT_EQ(conv.count_params(), 7 * 128 * 32 + 32);  // 28,704
  Conv1DOptions without_bias;
  without_bias.use_bias = false;
  Conv1D no_bias(32, 7, without_bias);
  no_bias.build({500, 128}, DType::float32, Device::cpu(), generator);
  EXPECT_EQ(no_bias.count_params(), 7 * 128 * 32);
}

TEST(Conv1D, OutputStepsFollowKerasForEachPadding) {
  EXPECT_EQ(Conv1D(4, 3, Conv1DOptions{2, "valid"}).output_shape({10, 2}), (Shape{4, 4}));
  EXPECT_EQ(Conv1D(4, 3, Conv1DOptions{2, "same"}).output_shape({10, 2}), (Shape{5, 4}));
  EXPECT_EQ(Conv1D(4, 3, Conv1DOptions{1, "causal", 2}).output_shape({10, 2}), (Shape{10, 4}));
  EXPECT_EQ(Conv1D(4, 3, Conv1DOptions{1, "valid", 2}).output_shape({10, 2}), (Shape{6, 4}));
}

TEST(Conv1D, WeightsAreKernelThenBiasInKerasLayout) {
  Conv1D conv(5, 3);
  Generator generator(2);
  conv.build({9, 4}, DType::float32, Device::cpu(), generator);
  const std::vector<Tensor> weights = conv.get_weights();
  ASSERT_EQ(weights.size(), 2u);
  EXPECT_EQ(weights[0].shape(), (Shape{3, 4, 5}));
  EXPECT_EQ(weights[1].shape(), (Shape{5}));
  const Tensor kernel = random_tensor<float>({3, 4, 5}, 3), bias = random_tensor<float>({5}, 4);
  conv.set_weights({kernel, bias});
  EXPECT_EQ(conv.get_weights()[0].to_vector<float>(), kernel.to_vector<float>());
  EXPECT_EQ(conv.get_weights()[1].to_vector<float>(), bias.to_vector<float>());
}

TEST(Conv1D, ForwardAppliesKernelBiasAndActivation) {
  const testing::ConvCase p{2, 9, 3, 4, 3, 2, 1, "same"};
  Conv1D conv(p.filters, p.kernel_size, Conv1DOptions{p.stride, p.padding, p.dilation, "relu"});
  Generator generator(3);
  conv.build({p.steps, p.channels}, DType::float64, Device::cpu(), generator);
  const Tensor kernel = random_tensor<double>({3, 3, 4}, 5), bias = random_tensor<double>({4}, 6);
  conv.set_weights({kernel, bias});
  const Tensor x = random_tensor<double>({p.batch, p.steps, p.channels}, 7);
  const Tensor y = conv.forward(x, {});
  std::vector<double> expected = testing::reference_conv(
      p, x.to_vector<double>(), kernel.to_vector<double>(), bias.to_vector<double>());
  for (double& v : expected) v = std::max(v, 0.0);
  EXPECT_EQ(y.shape(), (Shape{2, 5, 4}));
  expect_all_near(y.to_vector<double>(), expected, 1e-12);
}

TEST(Conv1D, GradientsMatchFiniteDifferencesForEveryPadding) {
  for (const std::string padding : {"valid", "same", "causal"}) {
    for (const auto& [stride, dilation] : {std::pair<int, int>{1, 1}, {2, 1}, {1, 2}}) {
      Conv1D conv(3, 3, Conv1DOptions{stride, padding, dilation, "tanh"});
      Generator generator(4);
      conv.build({8, 2}, DType::float64, Device::cpu(), generator);
      conv.set_weights({random_tensor<double>({3, 2, 3}, 8), random_tensor<double>({3}, 9)});
      SCOPED_TRACE(padding + " stride " + std::to_string(stride) + " dilation " +
                   std::to_string(dilation));
      testing::expect_gradients_match_finite_differences(conv, random_tensor<double>({2, 8, 2}, 10),
                                                         {}, true);
    }
  }
}

TEST(Conv1D, FrozenLayerLeavesWeightGradientsAlone) {
  Conv1D conv(3, 2);
  Generator generator(5);
  conv.build({6, 2}, DType::float64, Device::cpu(), generator);
  conv.trainable = false;
  conv.zero_grad();
  const Tensor y = conv.forward(random_tensor<double>({1, 6, 2}, 11), {});
  const Tensor dx = conv.backward(random_tensor<double>(y.shape(), 12));
  EXPECT_EQ(dx.shape(), (Shape{1, 6, 2}));
  for (const Parameter* parameter : conv.parameters()) {
    for (const double g : parameter->grad.to_vector<double>()) EXPECT_EQ(g, 0.0);
  }
}

TEST(Conv1D, RejectsInputsOfTheWrongRankOrChannels) {
  Conv1D conv(4, 3, Conv1DOptions{1, "valid", 1, "", true, {}, {}, {}, "my_conv"});
  expect_error_mentions(
      [&] {
        conv.forward(random_tensor<float>({2, 9}, 1), {});
      },
      {"my_conv", "[batch, steps, channels]"});
  conv.forward(random_tensor<float>({2, 9, 3}, 2), {});
  expect_error_mentions(
      [&] {
        conv.forward(random_tensor<float>({2, 9, 5}, 3), {});
      },
      {"my_conv", "3 input channels"});
  expect_error_mentions([&] { conv.output_shape({9}); }, {"my_conv", "[batch, steps, channels]"});
  expect_error_mentions(
      [&] {
        conv.forward(random_tensor<float>({2, 2, 3}, 4), {});
      },
      {"my_conv", "does not fit"});
}

TEST(Conv1D, RejectsBadArguments) {
  expect_error_mentions(
      [] {
        Conv1D(4, 3, Conv1DOptions{1, "full", 1, "", true, {}, {}, {}, "c"});
      },
      {"c", "padding", "full"});
  expect_error_mentions(
      [] {
        Conv1D(4, 3, Conv1DOptions{2, "valid", 2, "", true, {}, {}, {}, "c"});
      },
      {"c", "dilation_rate"});
}

TEST(Conv1D, ConfigRebuildsAnEqualLayer) {
  const Conv1D conv(8, 5, Conv1DOptions{2, "same", 1, "relu", false, l2(0.01), {}, {}, "conv"});
  const LayerConfig config = conv.config();
  EXPECT_EQ(config.at("filters"), "8");
  EXPECT_EQ(config.at("kernel_size"), "5");
  EXPECT_EQ(config.at("strides"), "2");
  EXPECT_EQ(config.at("padding"), "same");
  EXPECT_EQ(config.at("dilation_rate"), "1");
  EXPECT_EQ(config.at("activation"), "relu");
  EXPECT_EQ(config.at("use_bias"), "false");
  const std::unique_ptr<Layer> rebuilt = create_layer("Conv1D", "conv", config);
  EXPECT_EQ(rebuilt->type(), "Conv1D");
  EXPECT_EQ(rebuilt->config(), config);
}

TEST(Conv1D, ShortFormTakesTheActivationThirdWithKerasDefaultsElsewhere) {
  const LayerConfig config = Conv1D(64, 5, "relu").config();
  EXPECT_EQ(config.at("activation"), "relu");
  EXPECT_EQ(config.at("strides"), "1");
  EXPECT_EQ(config.at("padding"), "valid");
  EXPECT_EQ(config.at("dilation_rate"), "1");
  EXPECT_EQ(config.at("use_bias"), "true");
  EXPECT_EQ(config, Conv1D(64, 5, Conv1DOptions{1, "valid", 1, "relu"}).config());
}

}  // namespace
}  // namespace cuseq
