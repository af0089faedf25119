// The per-element math of the pooling kernels, shared by both backends.
// Windows have dilation 1; steps outside [0, steps) are padding and never
// take part (TensorFlow's rule: padding neither wins a max nor counts in a mean).
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "kernels/conv_math.h"

namespace cuseq::detail {

// Coordinates of element `index` of a channels-last [batch, steps, channels] tensor.
struct SequenceElement {
  std::int64_t batch, step, channel;
};

CUSEQ_HOST_DEVICE SequenceElement sequence_element(std::int64_t index, std::int64_t steps,
                                                   std::int64_t channels) {
  const std::int64_t row = index / channels;
  return SequenceElement{row / steps, row % steps, index % channels};
}

// Output element o = (b, t, c): the first maximum of the window and its input step.
template <class T>
struct MaxPoolBody {
  const T* x;
  Geometry1d g;
  std::int64_t channels;
  T* y;
  std::int32_t* argmax;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t o) const {
    const auto [b, t, c] = sequence_element(o, g.out_steps, channels);
    std::int64_t best = -1;
    T best_value = T(0);
    for (std::int64_t k = 0; k < g.window; ++k) {
      const std::int64_t i = g.input_step(t, k);
      if (!g.inside(i)) continue;
      const T value = x[(b * g.steps + i) * channels + c];
      if (best < 0 || value > best_value) {
        best = i;
        best_value = value;
      }
    }
    y[o] = best_value;
    argmax[o] = static_cast<std::int32_t>(best);
  }
};

// Input element (b, i, c): the gradients of the windows whose maximum it is.
template <class T>
struct MaxPoolGradBody {
  const T* dy;
  const std::int32_t* argmax;
  Geometry1d g;
  std::int64_t channels;
  T* dx;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t index) const {
    const auto [b, i, c] = sequence_element(index, g.steps, channels);
    T sum = T(0);
    for (std::int64_t t = g.first_window_with(i); t <= g.last_window_with(i); ++t) {
      const std::int64_t o = (b * g.out_steps + t) * channels + c;
      if (argmax[o] == i) sum += dy[o];
    }
    dx[index] = sum;
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
  CUSEQ_HOST_DEVICE void operator()(std::int64_t o) const {
    const auto [b, t, c] = sequence_element(o, g.out_steps, channels);
    T sum = T(0);
    for (std::int64_t k = 0; k < g.window; ++k) {
      const std::int64_t i = g.input_step(t, k);
      if (g.inside(i)) sum += x[(b * g.steps + i) * channels + c];
    }
    y[o] = sum / T(real_steps_in_window(g, t));
  }
};

template <class T>
struct AveragePoolGradBody {
  const T* dy;
  Geometry1d g;
  std::int64_t channels;
  T* dx;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t index) const {
    const auto [b, i, c] = sequence_element(index, g.steps, channels);
    T sum = T(0);
    for (std::int64_t t = g.first_window_with(i); t <= g.last_window_with(i); ++t) {
      sum += dy[(b * g.out_steps + t) * channels + c] / T(real_steps_in_window(g, t));
    }
    dx[index] = sum;
  }
};

}  // namespace cuseq::detail
