// The regularization kernel family (Keras' l1/l2 weight penalty), declared
// once for both backends: RegularizationKernels<Cpu> (regularization_cpu.cpp)
// and RegularizationKernels<Cuda> (regularization.cu), with the math of one
// element they share. regularization_ops.cpp checks the arguments and dispatches.
#pragma once

#include <cmath>
#include <cstdint>

#include "cuseq/host_device.h"
#include "kernels/backend.h"

namespace cuseq::detail {

template <class Where>
struct RegularizationKernels {
  // out (shape []) = l1 * sum|w| + l2 * sum w^2, summed in a fixed order (deterministic).
  static void penalty(const Tensor& w, double l1, double l2, Tensor& out);
  // grad += l1 * sign(w) + 2 * l2 * w.
  static void add_grad(const Tensor& w, double l1, double l2, Tensor& grad);
};

// l1 * |w| + l2 * w^2, accumulated in double.
template <class T>
CUSEQ_HOST_DEVICE double regularization_term(T w, double l1, double l2) {
  const double value = static_cast<double>(w);
  return l1 * (value < 0 ? -value : value) + l2 * value * value;
}

// The term's derivative, l1 * sign(w) + 2 * l2 * w (sign(0) = 0, as TensorFlow's).
template <class T>
CUSEQ_HOST_DEVICE T regularization_derivative(T w, T l1, T l2) {
  const T sign = w > T(0) ? T(1) : (w < T(0) ? T(-1) : T(0));
  return l1 * sign + T(2) * l2 * w;
}

template <class T>
struct AddRegularizationGradBody {
  const T* w;
  T l1, l2;
  T* grad;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    grad[i] += regularization_derivative(w[i], l1, l2);
  }
};

}  // namespace cuseq::detail
