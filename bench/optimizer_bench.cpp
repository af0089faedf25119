// The fused optimizer steps (one kernel per parameter per step) against the
// copy roofline: Adam reads w, g, m, v and writes w, m, v (28 bytes per float
// element), so its GB/s next to the copy's shows how close it runs to memory
// bandwidth. cuDNN and oneDNN have no optimizer step to compare with.
#include "bench_support.h"
#include "roofline.h"

namespace cuseq::bench {
namespace {

// Runs `step` on one parameter of `count` elements; `bytes` per element moved.
template <class Make>
void run_optimizer(benchmark::State& state, Make make, double bytes_per_element) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  Parameter p;
  p.value = random_input({state.range(1)}, device, 1);
  p.grad = random_input({state.range(1)}, device, 2);
  auto optimizer = make();
  optimizer->apply({&p});  // creates the slots outside the timed loop
  for (auto _ : state) {
    optimizer->apply({&p});
    finish(device);
  }
  report_rates(state, bytes_per_element * static_cast<double>(state.range(1)));
}

void BM_AdamStep_cuseq(benchmark::State& state) {
  run_optimizer(
      state, [] { return std::make_unique<Adam>(); }, 28.0);
}
BENCHMARK(BM_AdamStep_cuseq)->Apply(element_counts)->UseRealTime();

void BM_RmspropStep_cuseq(benchmark::State& state) {
  // w, g, rms read; w, rms written.
  run_optimizer(
      state, [] { return std::make_unique<RMSprop>(); }, 20.0);
}
BENCHMARK(BM_RmspropStep_cuseq)->Apply(element_counts)->UseRealTime();

void BM_SgdMomentumStep_cuseq(benchmark::State& state) {
  run_optimizer(
      state, [] { return std::make_unique<SGD>(0.01, 0.9); }, 20.0);
}
BENCHMARK(BM_SgdMomentumStep_cuseq)->Apply(element_counts)->UseRealTime();

void BM_AdamStepClipnorm_cuseq(benchmark::State& state) {
  // The norm pass reads g once more.
  run_optimizer(
      state,
      [] {
        auto adam = std::make_unique<Adam>();
        adam->clipping.clipnorm = 1.0;
        return adam;
      },
      32.0);
}
BENCHMARK(BM_AdamStepClipnorm_cuseq)->Apply(element_counts)->UseRealTime();

void BM_CopyRoofline(benchmark::State& state) {
  run_copy_roofline(state, device_of(state.range(0)), state.range(1));
}
BENCHMARK(BM_CopyRoofline)->Apply(element_counts)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
