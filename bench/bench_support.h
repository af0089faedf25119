// Helpers shared by the benchmarks: devices, timing GPU work fairly, and the
// rate counters every kernel reports (GB/s, GFLOP/s).
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

#include "cuseq/cuseq.h"

namespace cuseq::bench {

// The device a benchmark argument names: 0 = CPU, 1 = GPU.
inline Device device_of(std::int64_t which) { return which == 0 ? Device::cpu() : Device::cuda(0); }

// Skips a GPU run, with the reason, where no GPU can be used; returns false then.
inline bool prepare_device(benchmark::State& state, Device device) {
  if (device.is_cuda() && !cuda_available()) {
    state.SkipWithError(("no usable GPU: " + cuda_unavailable_reason()).c_str());
    return false;
  }
  return true;
}

// Arguments {gpu, n} of the element-wise benchmarks: each device, with a
// cache-sized and a memory-sized element count.
inline void element_counts(benchmark::internal::Benchmark* b) {
  for (const std::int64_t device : {0, 1}) {
    for (const std::int64_t count : {1 << 16, 1 << 22}) b->Args({device, count});
  }
  b->ArgNames({"gpu", "n"});
}

// Waits for queued GPU work so an iteration's time covers the work itself.
inline void finish(Device device) { synchronize(device); }

// Bytes read plus written, and floating-point operations, per iteration.
inline void report_rates(benchmark::State& state, double bytes_per_iteration,
                         double flops_per_iteration = 0) {
  const double iterations = static_cast<double>(state.iterations());
  state.counters["bytes/s"] = benchmark::Counter(
      bytes_per_iteration * iterations, benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
  if (flops_per_iteration > 0) {
    state.counters["FLOP/s"] =
        benchmark::Counter(flops_per_iteration * iterations, benchmark::Counter::kIsRate);
  }
}

// A float32 tensor of uniform values in [-1, 1) on `device`.
inline Tensor random_input(const Shape& shape, Device device, std::uint64_t seed = 1) {
  Tensor t = Tensor::empty(shape, DType::float32, device);
  ops::random_uniform(t, -1.0, 1.0, Generator(seed).next_stream());
  return t;
}

// Keras-layout recurrent weights of `cell` with input size = hidden, uniform
// in [-1, 1), from seeds seed, seed + 1 and seed + 2.
inline ops::RecurrentWeights random_recurrent_weights(RecurrentCell cell, std::int64_t hidden,
                                                      Device device, std::uint64_t seed) {
  const std::int64_t width = recurrent_gate_count(cell) * hidden;
  return {
      random_input({hidden, width}, device, seed), random_input({hidden, width}, device, seed + 1),
      random_input(cell == RecurrentCell::gru ? Shape{2, width} : Shape{width}, device, seed + 2)};
}

// Zeros shaped like `weights`: what recurrent_backward adds the gradients into.
inline ops::RecurrentWeights zero_gradients(const ops::RecurrentWeights& weights) {
  const auto zeros_like = [](const Tensor& t) {
    return Tensor::zeros(t.shape(), t.dtype(), t.device());
  };
  return {zeros_like(weights.kernel), zeros_like(weights.recurrent_kernel),
          zeros_like(weights.bias)};
}

}  // namespace cuseq::bench
