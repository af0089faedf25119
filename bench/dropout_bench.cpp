// Dropout's fused mask + multiply (Philox bits per element), and the
// regularization penalty and gradient, against the copy roofline: oneDNN 2.x
// and cuDNN's pointwise API have no Philox dropout to compare with.
#include "bench_support.h"
#include "roofline.h"

namespace cuseq::bench {
namespace {

void BM_DropoutForward_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const Tensor x = random_input({state.range(1)}, device);
  Tensor mask = Tensor::empty(x.shape(), DType::float32, device);
  Tensor y = Tensor::empty(x.shape(), DType::float32, device);
  Generator generator(1);
  for (auto _ : state) {
    ops::dropout_forward(x, 0.5, generator.next_stream(), mask, y);
    finish(device);
  }
  // x read; mask and y written.
  report_rates(state, 12.0 * static_cast<double>(state.range(1)));
}
BENCHMARK(BM_DropoutForward_cuseq)->Apply(element_counts)->UseRealTime();

void BM_RegularizationPenalty_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const Tensor w = random_input({state.range(1)}, device);
  Tensor out = Tensor::empty({}, DType::float32, device);
  for (auto _ : state) {
    ops::regularization_penalty(w, 0.01, 0.01, out);
    finish(device);
  }
  report_rates(state, 4.0 * static_cast<double>(state.range(1)));
}
BENCHMARK(BM_RegularizationPenalty_cuseq)->Apply(element_counts)->UseRealTime();

void BM_RegularizationGrad_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const Tensor w = random_input({state.range(1)}, device);
  Tensor grad = Tensor::zeros(w.shape(), DType::float32, device);
  for (auto _ : state) {
    ops::add_regularization_grad(w, 0.01, 0.01, grad);
    finish(device);
  }
  // w and grad read, grad written.
  report_rates(state, 12.0 * static_cast<double>(state.range(1)));
}
BENCHMARK(BM_RegularizationGrad_cuseq)->Apply(element_counts)->UseRealTime();

void BM_Dropout_roofline(benchmark::State& state) {
  run_copy_roofline(state, device_of(state.range(0)), state.range(1));
}
BENCHMARK(BM_Dropout_roofline)->Apply(element_counts)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
