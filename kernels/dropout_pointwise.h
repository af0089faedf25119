// One source for the dropout kernels of both backends (the pattern of
// pointwise_ops.h): body functors walked by for_each_index(Where{}, ...).
// dropout_cpu.cpp and dropout.cu include this after their walker.
#pragma once

#include <cstdint>

#include "kernels/dropout_kernels.h"
#include "kernels/dropout_math.h"
#include "kernels/dtype_dispatch.h"

namespace cuseq::detail {

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
