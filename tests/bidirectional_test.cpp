// Bidirectional against two directions run by the Keras-equation reference,
// its gradients against finite differences for every merge mode, and its
// Keras-facing behaviour (weights, parameter count, config, masks).
#include "cuseq/bidirectional.h"

#include <gtest/gtest.h>

#include "layer_gradient_check.h"
#include "recurrent_reference.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

constexpr int kBatch = 2, kSteps = 4, kFeatures = 3, kUnits = 2;

// Right padding for sample 0, left padding for sample 1.
const std::vector<double> kMask = {1, 1, 1, 0, 0, 1, 1, 1};

// A built float64 Bidirectional with random weights, and a reference per direction.
struct BidirectionalFixture {
  std::unique_ptr<Bidirectional> layer;
  testing::ReferenceRnn forward_reference, backward_reference;
  Tensor x;
  ForwardContext context;

  BidirectionalFixture(const std::string& cell, const std::string& merge_mode,
                       bool return_sequences, bool masked) {
    RecurrentOptions options;
    options.return_sequences = return_sequences;
    layer =
        std::make_unique<Bidirectional>(testing::make_recurrent(cell, kUnits, options), merge_mode);
    Generator generator(5);
    layer->build(Shape{kSteps, kFeatures}, DType::float64, Device::cpu(), generator);
    std::vector<Tensor> weights = layer->get_weights();
    for (std::size_t i = 0; i < weights.size(); ++i) {
      weights[i] = random_tensor<double>(weights[i].shape(), 200 + i, Device::cpu(), -0.8, 0.8);
    }
    layer->set_weights(weights);
    x = random_tensor<double>({kBatch, kSteps, kFeatures}, 7);
    if (masked) context.mask = Tensor::from_vector(kMask, Shape{kBatch, kSteps});
    for (int direction = 0; direction < 2; ++direction) {
      testing::ReferenceRnn& r = direction == 0 ? forward_reference : backward_reference;
      r = testing::ReferenceRnn{cell, kBatch, kSteps, kFeatures, kUnits};
      r.go_backwards = direction == 1;
      r.return_sequences = return_sequences;
      r.kernel = weights[3 * direction].to_vector<double>();
      r.recurrent_kernel = weights[3 * direction + 1].to_vector<double>();
      r.bias = weights[3 * direction + 2].to_vector<double>();
      if (masked) r.mask = kMask;
    }
  }

  // Keras' Bidirectional written out: the backward sequence reversed to time
  // order, then merged pointwise or concatenated along units.
  std::vector<double> expected_output(const std::string& merge_mode) const {
    const std::vector<double> xs = x.to_vector<double>();
    const std::vector<double> f = testing::reference_forward(forward_reference, xs).output;
    const std::vector<double> b = testing::reference_forward(backward_reference, xs).output;
    const int steps = forward_reference.return_sequences ? kSteps : 1;
    std::vector<double> out;
    for (int sample = 0; sample < kBatch; ++sample) {
      for (int t = 0; t < steps; ++t) {
        const int row = sample * steps + t, mirrored = sample * steps + (steps - 1 - t);
        for (int u = 0; u < kUnits; ++u) {
          const double fv = f[row * kUnits + u], bv = b[mirrored * kUnits + u];
          if (merge_mode == "sum") out.push_back(fv + bv);
          if (merge_mode == "mul") out.push_back(fv * bv);
          if (merge_mode == "ave") out.push_back((fv + bv) / 2);
          if (merge_mode == "concat") out.push_back(fv);
        }
        if (merge_mode != "concat") continue;
        for (int u = 0; u < kUnits; ++u) out.push_back(b[mirrored * kUnits + u]);
      }
    }
    return out;
  }
};

const std::vector<std::string> kMergeModes = {"concat", "sum", "mul", "ave"};

TEST(Bidirectional, EveryMergeModeEqualsTwoReferenceDirectionsMerged) {
  for (const std::string& cell : {"LSTM", "GRU", "SimpleRNN"}) {
    for (const std::string& mode : kMergeModes) {
      for (const bool sequences : {false, true}) {
        BidirectionalFixture f(cell, mode, sequences, false);
        expect_all_near(f.layer->forward(f.x, f.context).to_vector<double>(),
                        f.expected_output(mode), 1e-12,
                        cell + " " + mode + (sequences ? " sequences" : " final"));
      }
    }
  }
}

TEST(Bidirectional, LeftAndRightPaddedMasksMatchTheReference) {
  for (const bool sequences : {false, true}) {
    BidirectionalFixture f("LSTM", "concat", sequences, true);
    expect_all_near(f.layer->forward(f.x, f.context).to_vector<double>(),
                    f.expected_output("concat"), 1e-12, sequences ? "sequences" : "final");
  }
}

TEST(Bidirectional, PaddedStepsOutputZerosInBothDirections) {
  BidirectionalFixture f("GRU", "concat", true, true);
  const std::vector<double> y = f.layer->forward(f.x, f.context).to_vector<double>();
  for (int sample = 0; sample < kBatch; ++sample) {
    for (int t = 0; t < kSteps; ++t) {
      if (kMask[sample * kSteps + t] != 0.0) continue;
      for (int u = 0; u < 2 * kUnits; ++u) {
        EXPECT_EQ(y[(sample * kSteps + t) * 2 * kUnits + u], 0.0) << sample << ", " << t;
      }
    }
  }
}

TEST(Bidirectional, RightPaddedSampleGivesTheOutputOfItsUnpaddedSteps) {
  BidirectionalFixture padded("LSTM", "sum", false, true);
  const std::vector<double> y = padded.layer->forward(padded.x, padded.context).to_vector<double>();
  // Sample 0 holds 3 real steps, then padding.
  const std::vector<double> xs = padded.x.to_vector<double>();
  const Tensor short_x = Tensor::from_vector(
      std::vector<double>(xs.begin(), xs.begin() + 3 * kFeatures), Shape{1, 3, kFeatures});
  Bidirectional unpadded(std::make_unique<LSTM>(kUnits), "sum");
  Generator generator;
  unpadded.build(Shape{3, kFeatures}, DType::float64, Device::cpu(), generator);
  unpadded.set_weights(padded.layer->get_weights());
  const std::vector<double> expected = unpadded.forward(short_x, {}).to_vector<double>();
  expect_all_near(std::vector<double>(y.begin(), y.begin() + kUnits), expected, 1e-12);
}

TEST(Bidirectional, GradientsMatchFiniteDifferencesForEveryMergeMode) {
  for (const std::string& mode : kMergeModes) {
    SCOPED_TRACE(mode);
    BidirectionalFixture f("LSTM", mode, true, true);
    testing::expect_gradients_match_finite_differences(*f.layer, f.x, f.context, true);
  }
}

TEST(Bidirectional, FinalStateGradientsMatchFiniteDifferences) {
  BidirectionalFixture f("GRU", "mul", false, true);
  testing::expect_gradients_match_finite_differences(*f.layer, f.x, f.context, true);
}

TEST(Bidirectional, ParameterCountAndWeightOrderMatchKeras) {
  Bidirectional layer(std::make_unique<LSTM>(32));
  Generator generator;
  layer.build(Shape{10, 8}, DType::float32, Device::cpu(), generator);
  EXPECT_EQ(layer.count_params(), 2 * 5248);
  const std::vector<Tensor> w = layer.get_weights();
  ASSERT_EQ(w.size(), 6u);
  for (int direction = 0; direction < 2; ++direction) {
    EXPECT_EQ(w[3 * direction].shape(), (Shape{8, 128}));
    EXPECT_EQ(w[3 * direction + 1].shape(), (Shape{32, 128}));
    EXPECT_EQ(w[3 * direction + 2].shape(), (Shape{128}));
  }
  EXPECT_EQ(layer.output_shape(Shape{10, 8}), (Shape{64}));
}

TEST(Bidirectional, SetWeightsReachesBothDirections) {
  BidirectionalFixture f("GRU", "concat", false, false);
  const std::vector<Tensor> all = f.layer->get_weights();
  const std::vector<Tensor> forward = f.layer->forward_layer().get_weights();
  const std::vector<Tensor> backward = f.layer->backward_layer().get_weights();
  for (std::size_t i = 0; i < 3; ++i) {
    expect_all_near(forward[i].to_vector<double>(), all[i].to_vector<double>(), 0.0);
    expect_all_near(backward[i].to_vector<double>(), all[3 + i].to_vector<double>(), 0.0);
  }
}

TEST(Bidirectional, BackwardCopyRunsTheOtherWayWithTheSameConfig) {
  RecurrentOptions options;
  options.go_backwards = true;
  options.dropout = 0.25;
  Bidirectional layer(std::make_unique<GRU>(5, options));
  EXPECT_FALSE(layer.backward_layer().options().go_backwards);
  EXPECT_EQ(layer.backward_layer().units(), 5);
  EXPECT_EQ(layer.backward_layer().options().dropout, 0.25);
  EXPECT_EQ(layer.backward_layer().type(), "GRU");
}

TEST(Bidirectional, ConfigRebuildsTheSameLayer) {
  RecurrentOptions options;
  options.return_sequences = true;
  options.recurrent_dropout = 0.5;
  Bidirectional layer(std::make_unique<LSTM>(7, options), "ave");
  const LayerConfig config = layer.config();
  EXPECT_EQ(config.at("layer"), "LSTM");
  EXPECT_EQ(config.at("layer.units"), "7");
  std::unique_ptr<Layer> rebuilt = create_layer("Bidirectional", "bidi", config);
  EXPECT_EQ(rebuilt->type(), "Bidirectional");
  EXPECT_EQ(rebuilt->config(), config);
}

TEST(Bidirectional, ConfigKeepsAnExplicitBackwardLayer) {
  RecurrentOptions backwards;
  backwards.go_backwards = true;
  BidirectionalOptions explicit_backward;
  explicit_backward.merge_mode = "mul";
  explicit_backward.backward_layer = std::make_unique<GRU>(6, backwards);
  Bidirectional layer(std::make_unique<GRU>(4), std::move(explicit_backward));
  const LayerConfig config = layer.config();
  EXPECT_EQ(config.at("backward_layer.units"), "6");
  std::unique_ptr<Layer> rebuilt = create_layer("Bidirectional", "bidi", config);
  EXPECT_EQ(rebuilt->config(), config);
}

TEST(Bidirectional, PassesTheMaskOnOnlyWithReturnSequences) {
  const Tensor mask = Tensor::from_vector(kMask, Shape{kBatch, kSteps});
  RecurrentOptions sequences;
  sequences.return_sequences = true;
  Bidirectional with(std::make_unique<LSTM>(2, sequences));
  Bidirectional without(std::make_unique<LSTM>(2));
  EXPECT_TRUE(with.output_mask(Tensor(), mask).defined());
  EXPECT_FALSE(without.output_mask(Tensor(), mask).defined());
}

TEST(Bidirectional, RejectsUnknownMergeModeAndSameDirectionBackwardLayer) {
  testing::expect_error_mentions([] { Bidirectional layer(std::make_unique<LSTM>(2), "max"); },
                                 {"merge_mode", "max", "concat, sum, mul, ave"});
  testing::expect_error_mentions(
      [] {
        BidirectionalOptions same_direction;
        same_direction.backward_layer = std::make_unique<LSTM>(2);
        Bidirectional layer(std::make_unique<LSTM>(2), std::move(same_direction));
      },
      {"backward layer", "go_backwards"});
}

TEST(BidirectionalMerge, RejectsDirectionsOfDifferentShapes) {
  const Tensor f = Tensor::zeros(Shape{2, 3, 4}), b = Tensor::zeros(Shape{2, 3, 5});
  Tensor out = Tensor::zeros(Shape{2, 3, 8});
  testing::expect_error_mentions([&] { ops::bidirectional_merge(MergeMode::concat, f, b, out); },
                                 {"bidirectional_merge", "backward direction", "[2, 3, 5]"});
}

}  // namespace
}  // namespace cuseq
