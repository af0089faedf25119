// The 1-D pooling kernel family, one source for both backends: the kernels'
// one interface, the math of a window, and each op as a body functor (a tile
// of channels of one row per call) walked by
// for_each_row_channel(Where{}, rows, channels, window, body), a walker that
// pool_cpu.cpp (a thread-pool loop over rows with a SIMD loop over channels)
// and pool.cu (a grid-stride CUDA kernel) each define before instantiating
// PoolKernels; `window` is the work per element, for the CPU's threading. The
// backward passes gather (one input element per index, summing over the
// windows that contain it in order), so overlapping windows need no atomics
// and the results are deterministic. Arguments arrive validated by conv_ops.cpp.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/tensor.h"
#include "kernels/backend.h"
#include "kernels/conv.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/simd_loop.h"

namespace cuseq::detail {

template <class Where>
struct PoolKernels {
  // x [batch, steps, channels] -> y, argmax [batch, out_steps, channels].
  static void max_forward(const Tensor& x, const Geometry1d& g, Tensor& y, Tensor& argmax);
  static void max_backward(const Tensor& dy, const Tensor& argmax, const Geometry1d& g, Tensor& dx);
  static void average_forward(const Tensor& x, const Geometry1d& g, Tensor& y);
  static void average_backward(const Tensor& dy, const Geometry1d& g, Tensor& dx);
};
// Instantiated only where the walker is: pool_cpu.cpp and pool.cu.
extern template struct PoolKernels<Cpu>;
extern template struct PoolKernels<Cuda>;

// Every body computes a tile of W neighbouring channels of one row in one
// call, tile<W>(row, c0) for channels [c0, c0 + W): the taps of a window are
// the outer loop and the tile the inner one, so the CPU (W = 64 or 16) reads
// each input row once per tap, contiguously, in SIMD registers, while the GPU
// (W = 1, a thread per element) keeps its accumulators in registers.

// Calls visit(i, in) for each real input step i of output row `row`'s window,
// `in` pointing at channel c0 of that input step.
template <class T, class Visit>
CUSEQ_HOST_DEVICE void for_each_window_step(const Geometry1d& g, const T* x, std::int64_t channels,
                                            std::int64_t row, std::int64_t c0, const Visit& visit) {
  const std::int64_t b = row / g.out_steps, t = row % g.out_steps;
  for (std::int64_t k = 0; k < g.window; ++k) {
    const std::int64_t i = g.input_step(t, k);
    if (g.inside(i)) visit(i, x + (b * g.steps + i) * channels + c0);
  }
}

// The gradient tile of input row `row` (step i): dx = the sum, over the
// windows t that hold step i, of term(i, t, o + j), o being the first output
// element of window t's tile. A gather, so overlapping windows need no atomics.
template <int W, class T, class Term>
CUSEQ_HOST_DEVICE void gather_from_windows(const Geometry1d& g, std::int64_t channels,
                                           std::int64_t row, std::int64_t c0, T* dx,
                                           const Term& term) {
  const std::int64_t b = row / g.steps, i = row % g.steps;
  T sum[W];
  for (int j = 0; j < W; ++j) sum[j] = T(0);
  for (std::int64_t t = g.first_window_with(i); t <= g.last_window_with(i); ++t) {
    const std::int64_t o = (b * g.out_steps + t) * channels + c0;
    CUSEQ_SIMD_LOOP
    for (int j = 0; j < W; ++j) sum[j] += term(i, t, o + j);
  }
  for (int j = 0; j < W; ++j) dx[row * channels + c0 + j] = sum[j];
}

// Output elements (b, t, c): the first maximum of the window and its input step.
template <class T>
struct MaxPoolBody {
  const T* x;
  Geometry1d g;
  std::int64_t channels;
  T* y;
  std::int32_t* argmax;
  template <int W>
  CUSEQ_HOST_DEVICE void tile(std::int64_t row, std::int64_t c0) const {
    T best[W];
    std::int32_t at[W];
    for (int j = 0; j < W; ++j) best[j] = T(0), at[j] = -1;
    for_each_window_step(g, x, channels, row, c0, [&](std::int64_t i, const T* in) {
      CUSEQ_SIMD_LOOP
      for (int j = 0; j < W; ++j) {
        const bool wins = at[j] < 0 || in[j] > best[j];
        best[j] = wins ? in[j] : best[j];
        at[j] = wins ? static_cast<std::int32_t>(i) : at[j];
      }
    });
    for (int j = 0; j < W; ++j) {
      y[row * channels + c0 + j] = best[j];
      argmax[row * channels + c0 + j] = at[j];
    }
  }
};

// Input elements (b, i, c): the gradients of the windows whose maximum they are.
template <class T>
struct MaxPoolGradBody {
  const T* dy;
  const std::int32_t* argmax;
  Geometry1d g;
  std::int64_t channels;
  T* dx;
  template <int W>
  CUSEQ_HOST_DEVICE void tile(std::int64_t row, std::int64_t c0) const {
    gather_from_windows<W>(g, channels, row, c0, dx,
                           [&](std::int64_t i, std::int64_t, std::int64_t o) {
                             return argmax[o] == i ? dy[o] : T(0);
                           });
  }
};

// The number of real (unpadded) steps in window t.
CUSEQ_HOST_DEVICE std::int64_t real_steps_in_window(const Geometry1d& g, std::int64_t t) {
  const std::int64_t start = g.input_step(t, 0);
  const std::int64_t begin = start > 0 ? start : 0;
  const std::int64_t end = start + g.window < g.steps ? start + g.window : g.steps;
  return end - begin;
}

template <class T>
struct AveragePoolBody {
  const T* x;
  Geometry1d g;
  std::int64_t channels;
  T* y;
  template <int W>
  CUSEQ_HOST_DEVICE void tile(std::int64_t row, std::int64_t c0) const {
    T sum[W];
    for (int j = 0; j < W; ++j) sum[j] = T(0);
    for_each_window_step(g, x, channels, row, c0, [&](std::int64_t, const T* in) {
      CUSEQ_SIMD_LOOP
      for (int j = 0; j < W; ++j) sum[j] += in[j];
    });
    const T count = T(real_steps_in_window(g, row % g.out_steps));
    for (int j = 0; j < W; ++j) y[row * channels + c0 + j] = sum[j] / count;
  }
};

template <class T>
struct AveragePoolGradBody {
  const T* dy;
  Geometry1d g;
  std::int64_t channels;
  T* dx;
  template <int W>
  CUSEQ_HOST_DEVICE void tile(std::int64_t row, std::int64_t c0) const {
    gather_from_windows<W>(g, channels, row, c0, dx,
                           [&](std::int64_t, std::int64_t t, std::int64_t o) {
                             return dy[o] / T(real_steps_in_window(g, t));
                           });
  }
};

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
