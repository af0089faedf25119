// The wavefront (chunked) stacked recurrent ops against the same layers run
// one after the other with recurrent_forward / recurrent_backward, in float64
// on the CPU with explicit chunk sizes (the CPU's automatic chunk is the whole
// sequence). The layer-by-layer ops are themselves checked against Keras'
// equations and finite differences (lstm_test.cpp, gru_test.cpp, ...).
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

using ops::RecurrentInputs;
using ops::RecurrentTape;
using ops::RecurrentWeights;
using ops::StackedRecurrentLayer;
using testing::expect_all_near;
using testing::random_tensor;

constexpr double kTolerance = 1e-11;
constexpr std::int64_t kBatch = 3, kSteps = 10, kFeatures = 4;

struct LayerSetup {
  RecurrentCell cell;
  std::int64_t units;
};

// A stack with random weights, states, dropout masks and a mask with mixed
// lengths and left padding, every seed distinct.
struct Stack {
  std::vector<StackedRecurrentLayer> layers;
  std::vector<RecurrentInputs> inputs;
};

Tensor dropout_scales(std::int64_t rows, std::int64_t columns, std::uint64_t seed) {
  std::vector<double> values =
      testing::random_values(static_cast<std::size_t>(rows * columns), seed);
  for (double& v : values) v = v < -0.3 ? 0.0 : 1.0 / 0.65;
  return Tensor::from_vector(values, Shape{rows, columns});
}

Tensor step_mask() {
  std::vector<double> mask(kBatch * kSteps, 1.0);
  for (std::int64_t t = 7; t < kSteps; ++t) mask[1 * kSteps + t] = 0.0;  // shorter sample
  for (std::int64_t t = 0; t < 4; ++t) mask[2 * kSteps + t] = 0.0;       // left padding
  return Tensor::from_vector(mask, Shape{kBatch, kSteps});
}

Stack make_stack(const std::vector<LayerSetup>& setups, bool last_returns_sequences = true,
                 bool first_goes_backwards = false) {
  Stack stack;
  std::int64_t features = kFeatures;
  std::uint64_t seed = 10;
  for (std::size_t l = 0; l < setups.size(); ++l) {
    const LayerSetup& s = setups[l];
    const std::int64_t width = recurrent_gate_count(s.cell) * s.units;
    StackedRecurrentLayer layer;
    layer.spec.cell = s.cell;
    layer.spec.recurrent_activation =
        s.cell == RecurrentCell::simple_rnn ? Activation::linear : Activation::sigmoid;
    layer.spec.return_sequences = l + 1 < setups.size() || last_returns_sequences;
    layer.spec.go_backwards = l == 0 && first_goes_backwards;
    layer.weights.kernel =
        random_tensor<double>({features, width}, ++seed, Device::cpu(), -0.5, 0.5);
    layer.weights.recurrent_kernel =
        random_tensor<double>({s.units, width}, ++seed, Device::cpu(), -0.5, 0.5);
    layer.weights.bias = random_tensor<double>(
        s.cell == RecurrentCell::gru ? Shape{2, width} : Shape{width}, ++seed);
    RecurrentInputs in;
    if (l == 0) in.x = random_tensor<double>({kBatch, kSteps, features}, ++seed);
    in.initial_h = random_tensor<double>({kBatch, s.units}, ++seed);
    if (s.cell == RecurrentCell::lstm)
      in.initial_c = random_tensor<double>({kBatch, s.units}, ++seed);
    in.step_mask = step_mask();
    in.input_mask = dropout_scales(kBatch, features, ++seed);
    in.recurrent_mask = dropout_scales(kBatch, s.units, ++seed);
    stack.layers.push_back(layer);
    stack.inputs.push_back(in);
    features = s.units;
  }
  return stack;
}

RecurrentWeights zero_grads_like(const RecurrentWeights& w) {
  auto zeros = [](const Tensor& t) {
    return t.defined() ? Tensor::zeros(t.shape(), t.dtype(), t.device()) : Tensor();
  };
  return {zeros(w.kernel), zeros(w.recurrent_kernel), zeros(w.bias)};
}

// Everything a forward and backward produce, for comparing two schedules.
struct Results {
  Tensor output;
  std::vector<Tensor> final_h, final_c, d_initial_h, d_initial_c;
  Tensor d_x;
  std::vector<RecurrentWeights> grads;
};

struct Gradients {
  Tensor d_output;
  std::vector<Tensor> d_final_h, d_final_c;
};

Gradients random_gradients(const Stack& stack, const Shape& output_shape) {
  Gradients g;
  g.d_output = random_tensor<double>(output_shape, 500);
  for (std::size_t l = 0; l < stack.layers.size(); ++l) {
    const std::int64_t units = stack.layers[l].weights.recurrent_kernel.dim(0);
    g.d_final_h.push_back(random_tensor<double>({kBatch, units}, 600 + l));
    g.d_final_c.push_back(stack.layers[l].spec.cell == RecurrentCell::lstm
                              ? random_tensor<double>({kBatch, units}, 700 + l)
                              : Tensor());
  }
  return g;
}

// The reference: each layer over the whole sequence, one after the other.
Results layer_by_layer(const Stack& stack) {
  Results r;
  std::vector<RecurrentTape> tapes;
  Tensor x = stack.inputs[0].x;
  for (std::size_t l = 0; l < stack.layers.size(); ++l) {
    RecurrentInputs in = stack.inputs[l];
    in.x = x;
    tapes.push_back(ops::recurrent_forward(stack.layers[l].spec, stack.layers[l].weights, in));
    r.final_h.push_back(tapes.back().final_h);
    r.final_c.push_back(tapes.back().final_c);
    x = tapes.back().output;
  }
  r.output = x;
  const Gradients g = random_gradients(stack, r.output.shape());
  Tensor d = g.d_output;
  r.d_initial_h.resize(stack.layers.size());
  r.d_initial_c.resize(stack.layers.size());
  for (std::size_t l = stack.layers.size(); l-- > 0;) {
    r.grads.insert(r.grads.begin(), zero_grads_like(stack.layers[l].weights));
    const ops::RecurrentInputGradients lg =
        ops::recurrent_backward(stack.layers[l].spec, stack.layers[l].weights, tapes[l], d,
                                g.d_final_h[l], g.d_final_c[l], r.grads.front());
    r.d_initial_h[l] = lg.d_initial_h;
    r.d_initial_c[l] = lg.d_initial_c;
    d = lg.d_x;
  }
  r.d_x = d;
  return r;
}

Results chunked(const Stack& stack, std::int64_t chunk_steps) {
  Results r;
  const ops::StackedRecurrentTape tape =
      ops::stacked_recurrent_forward(stack.layers, stack.inputs, chunk_steps);
  r.output = tape.output;
  for (const auto& chunks : tape.chunks) {
    r.final_h.push_back(chunks.back().final_h);
    r.final_c.push_back(chunks.back().final_c);
  }
  const Gradients g = random_gradients(stack, r.output.shape());
  for (const StackedRecurrentLayer& layer : stack.layers) {
    r.grads.push_back(zero_grads_like(layer.weights));
  }
  const ops::StackedRecurrentGradients sg = ops::stacked_recurrent_backward(
      stack.layers, tape, g.d_output, g.d_final_h, g.d_final_c, r.grads);
  r.d_x = sg.d_x;
  r.d_initial_h = sg.d_initial_h;
  r.d_initial_c = sg.d_initial_c;
  return r;
}

void expect_same(const Tensor& actual, const Tensor& expected, const std::string& what) {
  ASSERT_EQ(actual.defined(), expected.defined()) << what;
  if (!expected.defined()) return;
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  expect_all_near(actual.to_vector<double>(), expected.to_vector<double>(), kTolerance, what);
}

void expect_results_match(const Results& actual, const Results& expected) {
  expect_same(actual.output, expected.output, "output");
  expect_same(actual.d_x, expected.d_x, "d_x");
  for (std::size_t l = 0; l < expected.final_h.size(); ++l) {
    const std::string layer = " of layer " + std::to_string(l);
    expect_same(actual.final_h[l], expected.final_h[l], "final h" + layer);
    expect_same(actual.final_c[l], expected.final_c[l], "final c" + layer);
    expect_same(actual.d_initial_h[l], expected.d_initial_h[l], "d initial h" + layer);
    expect_same(actual.d_initial_c[l], expected.d_initial_c[l], "d initial c" + layer);
    expect_same(actual.grads[l].kernel, expected.grads[l].kernel, "d kernel" + layer);
    expect_same(actual.grads[l].recurrent_kernel, expected.grads[l].recurrent_kernel,
                "d recurrent_kernel" + layer);
    expect_same(actual.grads[l].bias, expected.grads[l].bias, "d bias" + layer);
  }
}

const std::vector<LayerSetup> kMixed = {
    {RecurrentCell::lstm, 5}, {RecurrentCell::gru, 6}, {RecurrentCell::simple_rnn, 3}};

class StackedRecurrentChunks : public ::testing::TestWithParam<std::int64_t> {};

TEST_P(StackedRecurrentChunks, LstmGruSimpleRnnMatchLayerByLayerWithMasksAndDropout) {
  const Stack stack = make_stack(kMixed);
  expect_results_match(chunked(stack, GetParam()), layer_by_layer(stack));
}

TEST_P(StackedRecurrentChunks, LastLayerWithoutSequencesMatchesLayerByLayer) {
  const Stack stack = make_stack(kMixed, false);
  expect_results_match(chunked(stack, GetParam()), layer_by_layer(stack));
}

TEST_P(StackedRecurrentChunks, FirstLayerGoingBackwardsMatchesLayerByLayer) {
  const Stack stack = make_stack({{RecurrentCell::gru, 4}, {RecurrentCell::lstm, 5}}, true, true);
  expect_results_match(chunked(stack, GetParam()), layer_by_layer(stack));
}

// 1 and 3 and 7 do not divide the 10 steps; 10 is one chunk.
INSTANTIATE_TEST_SUITE_P(ChunkSteps, StackedRecurrentChunks, ::testing::Values(1, 3, 7, 10));

TEST(StackedRecurrent, WithoutStatesOrMasksMatchesLayerByLayer) {
  Stack stack = make_stack({{RecurrentCell::lstm, 4}, {RecurrentCell::lstm, 4}});
  for (RecurrentInputs& in : stack.inputs) {
    in.initial_h = in.initial_c = in.step_mask = in.input_mask = in.recurrent_mask = Tensor();
  }
  expect_results_match(chunked(stack, 4), layer_by_layer(stack));
}

TEST(StackedRecurrent, AutomaticChunkIsTheWholeSequenceOnTheCpu) {
  EXPECT_EQ(ops::automatic_chunk_steps(Device::cpu(), 100), 100);
  const Stack stack = make_stack(kMixed);
  const ops::StackedRecurrentTape tape =
      ops::stacked_recurrent_forward(stack.layers, stack.inputs, 0);
  EXPECT_EQ(tape.chunk_steps, kSteps);
  for (const auto& chunks : tape.chunks) EXPECT_EQ(chunks.size(), 1u);
}

TEST(StackedRecurrent, OneStreamPerLayerGivesTheSameResults) {
  const Stack stack = make_stack(kMixed);
  std::vector<std::unique_ptr<Stream>> owned;
  std::vector<const Stream*> streams;
  for (std::size_t l = 0; l < stack.layers.size(); ++l) {
    owned.push_back(std::make_unique<Stream>(Device::cpu()));
    streams.push_back(owned.back().get());
  }
  const ops::StackedRecurrentTape tape =
      ops::stacked_recurrent_forward(stack.layers, stack.inputs, 3, streams);
  expect_same(tape.output, layer_by_layer(stack).output, "output");
}

TEST(StackedRecurrent, RejectsChunkSizesOutsideTheSequence) {
  const Stack stack = make_stack(kMixed);
  for (const std::int64_t chunk : {std::int64_t{-1}, kSteps + 1}) {
    testing::expect_error_mentions(
        [&] { ops::stacked_recurrent_forward(stack.layers, stack.inputs, chunk); },
        {"stacked recurrent forward", "chunk_steps in [1, steps = 10]", std::to_string(chunk)});
  }
}

TEST(StackedRecurrent, RejectsLayersWhoseWidthsDoNotChain) {
  Stack stack = make_stack(kMixed);
  stack.layers[1].weights.kernel = Tensor::zeros(Shape{7, 18}, DType::float64);
  testing::expect_error_mentions(
      [&] { ops::stacked_recurrent_forward(stack.layers, stack.inputs, 2); },
      {"layer 1 (GRU) expects 7 input features", "layer 0 gives 5"});
}

TEST(StackedRecurrent, RejectsAnUpperLayerGoingBackwards) {
  Stack stack = make_stack(kMixed);
  stack.layers[2].spec.go_backwards = true;
  testing::expect_error_mentions(
      [&] { ops::stacked_recurrent_forward(stack.layers, stack.inputs, 2); },
      {"layer 2 has go_backwards", "only the first layer"});
}

TEST(StackedRecurrent, RejectsALowerLayerWithoutSequences) {
  Stack stack = make_stack(kMixed);
  stack.layers[0].spec.return_sequences = false;
  testing::expect_error_mentions(
      [&] { ops::stacked_recurrent_forward(stack.layers, stack.inputs, 2); },
      {"layer 0 feeds another layer", "return_sequences"});
}

TEST(TimeBlock, CopiesStepsBetweenSequencesOfDifferentLengths) {
  const Tensor source = random_tensor<double>({2, 5, 3}, 1);
  Tensor destination = random_tensor<double>({2, 4, 3}, 2);
  const std::vector<double> before = destination.to_vector<double>();
  ops::copy_time_block(source, 2, destination, 1, 3);
  const std::vector<double> s = source.to_vector<double>(), d = destination.to_vector<double>();
  for (std::int64_t b = 0; b < 2; ++b) {
    for (std::int64_t t = 0; t < 4; ++t) {
      for (std::int64_t f = 0; f < 3; ++f) {
        const std::size_t at = static_cast<std::size_t>((b * 4 + t) * 3 + f);
        const double expected =
            t >= 1 ? s[static_cast<std::size_t>((b * 5 + t + 1) * 3 + f)] : before[at];
        EXPECT_EQ(d[at], expected) << b << ", " << t << ", " << f;
      }
    }
  }
}

TEST(TimeBlock, CutsStepsOfAMask) {
  const Tensor mask = Tensor::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}, Shape{2, 4});
  const Tensor block = ops::time_block(mask, 1, 2);
  EXPECT_EQ(block.shape(), (Shape{2, 2}));
  EXPECT_EQ(block.to_vector<float>(), (std::vector<float>{2, 3, 6, 7}));
}

TEST(TimeBlock, RejectsStepsOutsideTheSequence) {
  const Tensor source = Tensor::zeros(Shape{2, 5, 3});
  Tensor destination = Tensor::zeros(Shape{2, 4, 3});
  testing::expect_error_mentions([&] { ops::copy_time_block(source, 3, destination, 0, 3); },
                                 {"copy_time_block", "steps [3, 6)", "5 steps of the source"});
  Tensor narrow = Tensor::zeros(Shape{2, 4, 2});
  testing::expect_error_mentions([&] { ops::copy_time_block(source, 0, narrow, 0, 1); },
                                 {"copy_time_block", "same batch and features"});
}

}  // namespace
}  // namespace cuseq
