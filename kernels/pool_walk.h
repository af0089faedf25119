// One source for the pooling kernels of both backends: each op is a body
// functor (a tile of channels of one row per call, math from pool_math.h)
// walked by for_each_row_channel(Where{}, rows, channels, window, body): an
// thread-pool loop over rows with a SIMD loop over channels (pool_cpu.cpp) or a
// grid-stride CUDA kernel (pool.cu), which include this file after their
// walker; `window` is the work per element, for the CPU's threading. The
// backward passes gather (one input element per index, summing over the
// windows that contain it in order), so overlapping windows need no atomics
// and the results are deterministic.
#pragma once

#include <cstdint>

#include "kernels/dtype_dispatch.h"
#include "kernels/pool_kernels.h"
#include "kernels/pool_math.h"

namespace cuseq::detail {

// About how many windows hold one input step: the backward's work per element.
inline std::int64_t windows_per_step(const Geometry1d& g) {
  return (g.window + g.stride - 1) / g.stride;
}

template <class Where>
void PoolKernels<Where>::max_forward(const Tensor& x, const Geometry1d& g, Tensor& y,
                                     Tensor& argmax) {
  dispatch_floating(x.dtype(), "max_pool1d_forward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_row_channel(
        Where{}, y.dim(0) * y.dim(1), y.dim(2), g.window,
        MaxPoolBody<T>{x.data<T>(), g, x.dim(2), y.data<T>(), argmax.data<std::int32_t>()});
  });
}

template <class Where>
void PoolKernels<Where>::max_backward(const Tensor& dy, const Tensor& argmax, const Geometry1d& g,
                                      Tensor& dx) {
  dispatch_floating(dx.dtype(), "max_pool1d_backward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_row_channel(
        Where{}, dx.dim(0) * dx.dim(1), dx.dim(2), windows_per_step(g),
        MaxPoolGradBody<T>{dy.data<T>(), argmax.data<std::int32_t>(), g, dx.dim(2), dx.data<T>()});
  });
}

template <class Where>
void PoolKernels<Where>::average_forward(const Tensor& x, const Geometry1d& g, Tensor& y) {
  dispatch_floating(x.dtype(), "average_pool1d_forward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_row_channel(Where{}, y.dim(0) * y.dim(1), y.dim(2), g.window,
                         AveragePoolBody<T>{x.data<T>(), g, x.dim(2), y.data<T>()});
  });
}

template <class Where>
void PoolKernels<Where>::average_backward(const Tensor& dy, const Geometry1d& g, Tensor& dx) {
  dispatch_floating(dx.dtype(), "average_pool1d_backward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_row_channel(Where{}, dx.dim(0) * dx.dim(1), dx.dim(2), windows_per_step(g),
                         AveragePoolGradBody<T>{dy.data<T>(), g, dx.dim(2), dx.data<T>()});
  });
}

}  // namespace cuseq::detail
