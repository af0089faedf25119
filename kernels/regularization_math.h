// Keras' l1/l2 weight penalty, element by element, shared by the CUDA kernels
// and their CPU twins.
#pragma once

#include <cmath>
#include <cstdint>

#include "cuseq/host_device.h"

namespace cuseq::detail {

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
