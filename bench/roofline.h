// The memory-bandwidth roofline for kernels that have no oneDNN or cuDNN
// counterpart (embedding, dropout, regularization): a plain copy of `count`
// floats (memcpy / cudaMemcpy device to device), reported as bytes read plus written.
#pragma once

#include "bench_support.h"

namespace cuseq::bench {

inline void run_copy_roofline(benchmark::State& state, Device device, std::int64_t count) {
  if (!prepare_device(state, device)) return;
  const Tensor x = random_input({count}, device);
  Tensor y = Tensor::empty(x.shape(), DType::float32, device);
  state.SetLabel("copy");
  for (auto _ : state) {
    y.copy_from(x);
    finish(device);
  }
  report_rates(state, 8.0 * static_cast<double>(count));
}

}  // namespace cuseq::bench
