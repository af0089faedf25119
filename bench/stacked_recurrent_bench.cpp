// Stacked LSTMs (input size = hidden size, return_sequences, 100 steps):
// the wavefront of stacked_recurrent_ops.h (8 chunks, one stream per layer)
// against the same layers run one after the other on one stream (the
// reference), forward and training step (forward + backward); named _cuseq
// and _reference for bench/ratios.py.
#include <vector>

#include "bench_support.h"

namespace cuseq::bench {
namespace {

constexpr std::int64_t kSteps = 100;
// Eight chunks: what automatic_chunk_steps picked before this benchmark
// measured the wavefront slower than one chunk on an H200.
constexpr std::int64_t kWavefrontChunkSteps = 13;

struct StackShape {
  std::int64_t layers, batch, hidden;
};

void stack_shapes(benchmark::internal::Benchmark* b) {
  for (const std::int64_t layers : {2, 4}) {
    for (const std::int64_t hidden : {256, 512}) {
      for (const std::int64_t batch : {8, 64}) b->Args({1, layers, batch, hidden});
    }
  }
  // The CPU grid is smaller: it runs in seconds on two cores.
  b->Args({0, 2, 8, 256});
  b->ArgNames({"gpu", "layers", "batch", "hidden"});
}

struct StackData {
  std::vector<ops::StackedRecurrentLayer> layers;
  std::vector<ops::RecurrentInputs> inputs;
  std::vector<ops::RecurrentWeights> grads;
  Tensor d_output;
  std::vector<const Stream*> streams;

  StackData(const StackShape& s, Device device, bool wavefront) {
    for (std::int64_t l = 0; l < s.layers; ++l) {
      ops::StackedRecurrentLayer layer;
      layer.spec.return_sequences = true;
      layer.weights = random_recurrent_weights(RecurrentCell::lstm, s.hidden, device,
                                               static_cast<std::uint64_t>(3 * l + 1));
      grads.push_back(zero_gradients(layer.weights));
      layers.push_back(layer);
      inputs.emplace_back();
      // The streams RecurrentStack uses.
      if (wavefront) streams.push_back(&pooled_stream(device, static_cast<std::size_t>(l)));
    }
    inputs[0].x = random_input({s.batch, kSteps, s.hidden}, device, 100);
    d_output = random_input({s.batch, kSteps, s.hidden}, device, 101);
  }
};

void run(benchmark::State& state, bool training, bool wavefront) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const StackShape s{state.range(1), state.range(2), state.range(3)};
  StackData d(s, device, wavefront);
  // The reference: one chunk of all steps, every layer on the caller's stream.
  const std::int64_t chunk_steps = wavefront ? kWavefrontChunkSteps : kSteps;
  state.SetLabel(wavefront ? "wavefront, " + std::to_string(chunk_steps) + " steps a chunk"
                           : "layer by layer");
  for (auto _ : state) {
    const ops::StackedRecurrentTape tape =
        ops::stacked_recurrent_forward(d.layers, d.inputs, chunk_steps, d.streams);
    if (training) {
      ops::stacked_recurrent_backward(d.layers, tape, d.d_output, {}, {}, d.grads, d.streams);
    }
    finish(device);
  }
  // GEMM FLOPs: per layer and step [B, H] x [H, 4H] twice (input and
  // recurrent); a training step does three times as many.
  const double flops = 2.0 * static_cast<double>(s.layers * kSteps * s.batch) * 4.0 *
                       static_cast<double>(s.hidden) * static_cast<double>(2 * s.hidden) *
                       (training ? 3.0 : 1.0);
  state.counters["FLOP/s"] = benchmark::Counter(flops * static_cast<double>(state.iterations()),
                                                benchmark::Counter::kIsRate);
}

void BM_StackedLSTMForward_cuseq(benchmark::State& state) { run(state, false, true); }
void BM_StackedLSTMForward_reference(benchmark::State& state) { run(state, false, false); }
void BM_StackedLSTMTrain_cuseq(benchmark::State& state) { run(state, true, true); }
void BM_StackedLSTMTrain_reference(benchmark::State& state) { run(state, true, false); }

BENCHMARK(BM_StackedLSTMForward_cuseq)->Apply(stack_shapes)->UseRealTime();
BENCHMARK(BM_StackedLSTMForward_reference)->Apply(stack_shapes)->UseRealTime();
BENCHMARK(BM_StackedLSTMTrain_cuseq)->Apply(stack_shapes)->UseRealTime();
BENCHMARK(BM_StackedLSTMTrain_reference)->Apply(stack_shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
