// What masking costs: an LSTM training step (forward + backward) on a batch of
// mixed lengths, the mask going into the fused step kernels, against the same
// batch with no mask (every step real). The goal is a ratio of 1: the
// mask costs nothing over padding. PyTorch's answer to mixed lengths, packed
// sequences, is timed against its own padded batch by bench/mask_cost_torch_gpu.py
// (on the CPU too, with --device cpu).
// Lengths are spread evenly over [steps/4, steps]; right padding (Keras'
// pad_sequences default after truncation, "post") and left padding ("pre",
// Keras' default, which cuDNN in Keras rejects) are both timed.
#include <vector>

#include "bench_support.h"

namespace cuseq::bench {
namespace {

enum class Padding { none, right, left };

// {gpu, batch, hidden, steps}: one CPU shape that runs in seconds on two
// cores, one GPU shape in the middle of the recurrent grid.
void mask_shapes(benchmark::internal::Benchmark* b) {
  b->Args({0, 32, 128, 50});
  b->Args({1, 64, 512, 100});
  b->ArgNames({"gpu", "batch", "hidden", "steps"});
}

// The length of each sample, evenly spread over [steps/4, steps].
std::int64_t length_of(std::int64_t sample, std::int64_t batch, std::int64_t steps) {
  const std::int64_t shortest = steps / 4;
  return shortest + (steps - shortest) * sample / std::max<std::int64_t>(batch - 1, 1);
}

Tensor step_mask(std::int64_t batch, std::int64_t steps, Padding padding, Device device) {
  std::vector<float> mask(static_cast<std::size_t>(batch * steps), 0.0f);
  for (std::int64_t sample = 0; sample < batch; ++sample) {
    const std::int64_t length = length_of(sample, batch, steps);
    const std::int64_t first = padding == Padding::left ? steps - length : 0;
    for (std::int64_t t = first; t < first + length; ++t) mask[sample * steps + t] = 1.0f;
  }
  return Tensor::from_vector(mask, Shape{batch, steps}).to(device);
}

void run_lstm_train(benchmark::State& state, Padding padding) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const std::int64_t batch = state.range(1), hidden = state.range(2), steps = state.range(3);
  ops::RecurrentSpec spec;
  spec.return_sequences = true;
  const ops::RecurrentWeights weights =
      random_recurrent_weights(RecurrentCell::lstm, hidden, device, 1);
  ops::RecurrentWeights grads = zero_gradients(weights);
  ops::RecurrentInputs inputs;
  inputs.x = random_input({batch, steps, hidden}, device, 4);
  if (padding != Padding::none) inputs.step_mask = step_mask(batch, steps, padding, device);
  const Tensor d_output = random_input({batch, steps, hidden}, device, 5);
  for (auto _ : state) {
    const ops::RecurrentTape tape = ops::recurrent_forward(spec, weights, inputs);
    ops::recurrent_backward(spec, weights, tape, d_output, {}, {}, grads);
    finish(device);
  }
  if (padding == Padding::none) state.SetLabel("same batch, no mask");
}

void BM_LSTMTrainRightPadded_cuseq(benchmark::State& state) {
  run_lstm_train(state, Padding::right);
}
void BM_LSTMTrainRightPadded_reference(benchmark::State& state) {
  run_lstm_train(state, Padding::none);
}
void BM_LSTMTrainLeftPadded_cuseq(benchmark::State& state) { run_lstm_train(state, Padding::left); }
void BM_LSTMTrainLeftPadded_reference(benchmark::State& state) {
  run_lstm_train(state, Padding::none);
}

BENCHMARK(BM_LSTMTrainRightPadded_cuseq)->Apply(mask_shapes)->UseRealTime();
BENCHMARK(BM_LSTMTrainRightPadded_reference)->Apply(mask_shapes)->UseRealTime();
BENCHMARK(BM_LSTMTrainLeftPadded_cuseq)->Apply(mask_shapes)->UseRealTime();
BENCHMARK(BM_LSTMTrainLeftPadded_reference)->Apply(mask_shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
