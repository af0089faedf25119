// The dropout kernel family, one source for both backends: the keep decision
// (shared by every kernel that drops units: the Dropout layer's, and
// ops::dropout_mask's for recurrent dropout), the kernels' one interface, and
// their definition as body functors walked by for_each_index(Where{}, ...).
// dropout_cpu.cpp instantiates them for the CPU (cuseq's thread pool),
// dropout.cu for CUDA; dropout_ops.cpp checks the arguments and dispatches.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/philox.h"
#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"

namespace cuseq::detail {

// Element `index` of a Philox stream is kept when its 32 random bits reach an
// integer threshold, so the CPU and the GPU make bit-identical masks.
// The threshold that drops a fraction `rate` in [0, 1) of the 2^32 bit patterns.
inline std::uint32_t dropout_threshold(double rate) {
  const double scaled = rate * 4294967296.0;
  return scaled >= 4294967295.0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(scaled);
}

CUSEQ_HOST_DEVICE bool dropout_keeps(std::uint64_t seed, std::uint64_t stream, std::uint64_t index,
                                     std::uint32_t threshold) {
  return philox_bits(seed, stream, index) >= threshold;
}

template <class Where>
struct DropoutKernels {
  // mask[i] = scale where element i is kept (dropout_keeps), else 0.
  static void mask(std::uint32_t threshold, double scale, Generator::Stream stream, Tensor& mask);
  // The same mask, and y = x * mask, in one pass.
  static void forward(const Tensor& x, std::uint32_t threshold, double scale,
                      Generator::Stream stream, Tensor& mask, Tensor& y);
};
// Instantiated only where the walker is: dropout_cpu.cpp and dropout.cu.
extern template struct DropoutKernels<Cpu>;
extern template struct DropoutKernels<Cuda>;

template <class T>
struct DropoutMaskBody {
  Generator::Stream stream;
  std::uint32_t threshold;
  T scale;
  T* mask;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    mask[i] = dropout_keeps(stream.seed, stream.stream, static_cast<std::uint64_t>(i), threshold)
                  ? scale
                  : T(0);
  }
};

template <class T>
struct DropoutForwardBody {
  DropoutMaskBody<T> make_mask;
  const T* x;
  T* y;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    make_mask(i);
    y[i] = x[i] * make_mask.mask[i];
  }
};

// for_each_index(Where{}, ...) is found where these are instantiated, after
// the walker (parallel_for_cpu.h, for_each_cuda.cuh).
template <class Where>
void DropoutKernels<Where>::mask(std::uint32_t threshold, double scale, Generator::Stream stream,
                                 Tensor& mask) {
  dispatch_floating(mask.dtype(), "dropout_mask", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, mask.numel(),
                   DropoutMaskBody<T>{stream, threshold, T(scale), mask.data<T>()});
  });
}

template <class Where>
void DropoutKernels<Where>::forward(const Tensor& x, std::uint32_t threshold, double scale,
                                    Generator::Stream stream, Tensor& mask, Tensor& y) {
  dispatch_floating(y.dtype(), "dropout_forward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const DropoutMaskBody<T> make_mask{stream, threshold, T(scale), mask.data<T>()};
    for_each_index(Where{}, y.numel(), DropoutForwardBody<T>{make_mask, x.data<T>(), y.data<T>()});
  });
}

}  // namespace cuseq::detail
