// The per-element math of the pooling kernels, shared by both backends.
// Windows have dilation 1; steps outside [0, steps) are padding and never
// take part (TensorFlow's rule: padding neither wins a max nor counts in a mean).
// Tensors are channels-last; a row is batch * (its steps) + step.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "kernels/conv_math.h"
#include "kernels/simd_loop.h"

namespace cuseq::detail {

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

}  // namespace cuseq::detail
