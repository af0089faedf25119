// Losses as one row kernel (value and gradient in one pass; softmax fused
// into the cross-entropy from logits), against the copy roofline: the pass
// reads predictions and targets and writes the gradient.
#include "bench_support.h"
#include "roofline.h"

namespace cuseq::bench {
namespace {

void shapes(benchmark::internal::Benchmark* b) {
  for (const std::int64_t device : {0, 1}) {
    b->Args({device, 4096, 1});      // binary: one column per row
    b->Args({device, 4096, 1000});   // categorical: 1000 classes
    b->Args({device, 2240, 10000});  // a word language model: 64 x 35 steps, 10k words
  }
  b->ArgNames({"gpu", "rows", "classes"});
}

void run_loss(benchmark::State& state, const Loss& loss, bool sparse) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const Shape shape{state.range(1), state.range(2)};
  const Tensor p = random_input(shape, device, 1);
  const Tensor target = sparse ? Tensor::zeros({state.range(1)}, DType::int32, device)
                               : random_input(shape, device, 2);
  Tensor rows = Tensor::empty({state.range(1)}, DType::float32, device);
  Tensor grad = Tensor::empty(shape, DType::float32, device);
  const double scale = 1.0 / static_cast<double>(state.range(1));
  for (auto _ : state) {
    ops::loss_rows(loss.kind, loss.from_logits, p, target, rows, grad, scale);
    finish(device);
  }
  const double elements = static_cast<double>(shape.numel());
  report_rates(state, (sparse ? 8.0 : 12.0) * elements);
}

void BM_CategoricalCrossentropyFromLogits_cuseq(benchmark::State& state) {
  run_loss(state, loss_from_name("categorical_crossentropy", true), false);
}
BENCHMARK(BM_CategoricalCrossentropyFromLogits_cuseq)->Apply(shapes)->UseRealTime();

void BM_SparseCategoricalCrossentropyFromLogits_cuseq(benchmark::State& state) {
  run_loss(state, loss_from_name("sparse_categorical_crossentropy", true), true);
}
BENCHMARK(BM_SparseCategoricalCrossentropyFromLogits_cuseq)->Apply(shapes)->UseRealTime();

void BM_BinaryCrossentropy_cuseq(benchmark::State& state) {
  run_loss(state, loss_from_name("binary_crossentropy"), false);
}
BENCHMARK(BM_BinaryCrossentropy_cuseq)->Apply(shapes)->UseRealTime();

void BM_MeanSquaredError_cuseq(benchmark::State& state) {
  run_loss(state, loss_from_name("mse"), false);
}
BENCHMARK(BM_MeanSquaredError_cuseq)->Apply(shapes)->UseRealTime();

void BM_CopyRoofline(benchmark::State& state) {
  run_copy_roofline(state, device_of(state.range(0)), state.range(1) * state.range(2));
}
BENCHMARK(BM_CopyRoofline)->Apply(shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
