// The math of the losses and metrics, one row (the last axis) at a time,
// written once for the CUDA kernels and their CPU twins. Each loss returns the
// row's value and, when `grad` is not null, writes scale * d(value)/d(pred).
#pragma once

#include <cmath>
#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/loss_ops.h"

namespace cuseq::detail {

#if !defined(__CUDA_ARCH__)
using std::exp;
using std::fabs;
using std::log;
using std::log1p;
#endif

// Keras' backend.epsilon().
constexpr double kLossEpsilon = 1e-7;

template <class T>
CUSEQ_HOST_DEVICE T clip_probability(T p) {
  const T low = T(kLossEpsilon), high = T(1) - T(kLossEpsilon);
  return p < low ? low : (p > high ? high : p);
}

// tf.clip_by_value passes the gradient where low <= p <= high.
template <class T>
CUSEQ_HOST_DEVICE T clip_passes(T p) {
  return (p >= T(kLossEpsilon) && p <= T(1) - T(kLossEpsilon)) ? T(1) : T(0);
}

template <class T>
CUSEQ_HOST_DEVICE T stable_sigmoid(T x) {
  if (x >= T(0)) return T(1) / (T(1) + exp(-x));
  const T e = exp(x);
  return e / (T(1) + e);
}

// Keras: -(y log(p + eps) + (1 - y) log(1 - p + eps)) with p clipped first.
template <class T>
CUSEQ_HOST_DEVICE T binary_crossentropy_row(const T* p, const T* y, std::int64_t columns, T* grad,
                                            T scale) {
  const T eps = T(kLossEpsilon);
  T total = 0;
  for (std::int64_t c = 0; c < columns; ++c) {
    const T q = clip_probability(p[c]);
    total -= y[c] * log(q + eps) + (T(1) - y[c]) * log(T(1) - q + eps);
    if (grad) {
      const T d = -(y[c] / (q + eps) - (T(1) - y[c]) / (T(1) - q + eps));
      grad[c] = scale * clip_passes(p[c]) * d / T(columns);
    }
  }
  return total / T(columns);
}

// max(x, 0) - x y + log(1 + e^-|x|): never overflows; gradient sigmoid(x) - y.
template <class T>
CUSEQ_HOST_DEVICE T binary_crossentropy_logits_row(const T* x, const T* y, std::int64_t columns,
                                                   T* grad, T scale) {
  T total = 0;
  for (std::int64_t c = 0; c < columns; ++c) {
    total += (x[c] > T(0) ? x[c] : T(0)) - x[c] * y[c] + log1p(exp(-fabs(x[c])));
    if (grad) grad[c] = scale * (stable_sigmoid(x[c]) - y[c]) / T(columns);
  }
  return total / T(columns);
}

// Keras: q = p / sum(p), clipped, then -sum(y log q). The gradient goes back
// through the normalisation: dq_j/dp_k = (delta_jk - q_j) / sum(p).
template <class T>
CUSEQ_HOST_DEVICE T categorical_crossentropy_row(const T* p, const T* y, std::int64_t columns,
                                                 T* grad, T scale) {
  T sum = 0;
  for (std::int64_t c = 0; c < columns; ++c) sum += p[c];
  T total = 0, weighted = 0;  // weighted = sum_j dL/dq_j * q_j
  for (std::int64_t c = 0; c < columns; ++c) {
    const T q = p[c] / sum;
    total -= y[c] * log(clip_probability(q));
    weighted -= clip_passes(q) * y[c];  // (-y / q) * q where the clip passes
  }
  if (grad) {
    for (std::int64_t c = 0; c < columns; ++c) {
      const T q = p[c] / sum;
      const T dq = clip_passes(q) * -y[c] / clip_probability(q);
      grad[c] = scale * (dq - weighted) / sum;
    }
  }
  return total;
}

// log(sum(e^x)) with the maximum taken out first.
template <class T>
CUSEQ_HOST_DEVICE T log_sum_exp(const T* x, std::int64_t columns) {
  T largest = x[0];
  for (std::int64_t c = 1; c < columns; ++c) largest = x[c] > largest ? x[c] : largest;
  T total = 0;
  for (std::int64_t c = 0; c < columns; ++c) total += exp(x[c] - largest);
  return largest + log(total);
}

// Softmax and cross-entropy fused: sum_j y_j (lse - x_j); gradient
// sum(y) softmax(x) - y.
template <class T>
CUSEQ_HOST_DEVICE T categorical_crossentropy_logits_row(const T* x, const T* y,
                                                        std::int64_t columns, T* grad, T scale) {
  const T lse = log_sum_exp(x, columns);
  T total = 0, y_sum = 0;
  for (std::int64_t c = 0; c < columns; ++c) {
    total += y[c] * (lse - x[c]);
    y_sum += y[c];
  }
  if (grad) {
    for (std::int64_t c = 0; c < columns; ++c) grad[c] = scale * (y_sum * exp(x[c] - lse) - y[c]);
  }
  return total;
}

// Keras feeds log(clip(p)) to a softmax cross-entropy:
// -log r_t + log(sum r) with r = clip(p).
template <class T>
CUSEQ_HOST_DEVICE T sparse_categorical_crossentropy_row(const T* p, std::int32_t label,
                                                        std::int64_t columns, T* grad, T scale) {
  T sum = 0;
  for (std::int64_t c = 0; c < columns; ++c) sum += clip_probability(p[c]);
  const T r_label = clip_probability(p[label]);
  if (grad) {
    for (std::int64_t c = 0; c < columns; ++c) {
      const T d = T(1) / sum - (c == label ? T(1) / r_label : T(0));
      grad[c] = scale * clip_passes(p[c]) * d;
    }
  }
  return log(sum) - log(r_label);
}

template <class T>
CUSEQ_HOST_DEVICE T sparse_categorical_crossentropy_logits_row(const T* x, std::int32_t label,
                                                               std::int64_t columns, T* grad,
                                                               T scale) {
  const T lse = log_sum_exp(x, columns);
  if (grad) {
    for (std::int64_t c = 0; c < columns; ++c) {
      grad[c] = scale * (exp(x[c] - lse) - (c == label ? T(1) : T(0)));
    }
  }
  return lse - x[label];
}

template <class T>
CUSEQ_HOST_DEVICE T mean_squared_error_row(const T* p, const T* y, std::int64_t columns, T* grad,
                                           T scale) {
  T total = 0;
  for (std::int64_t c = 0; c < columns; ++c) {
    const T d = p[c] - y[c];
    total += d * d;
    if (grad) grad[c] = scale * T(2) * d / T(columns);
  }
  return total / T(columns);
}

template <class T>
CUSEQ_HOST_DEVICE T mean_absolute_error_row(const T* p, const T* y, std::int64_t columns, T* grad,
                                            T scale) {
  T total = 0;
  for (std::int64_t c = 0; c < columns; ++c) {
    const T d = p[c] - y[c];
    total += fabs(d);
    // d|d|/dd = sign(d), 0 at d = 0 as in TensorFlow.
    if (grad) grad[c] = scale * (d > T(0) ? T(1) : (d < T(0) ? T(-1) : T(0))) / T(columns);
  }
  return total / T(columns);
}

template <class T>
CUSEQ_HOST_DEVICE std::int64_t first_argmax(const T* x, std::int64_t columns) {
  std::int64_t best = 0;
  for (std::int64_t c = 1; c < columns; ++c) best = x[c] > x[best] ? c : best;
  return best;
}

template <class T>
CUSEQ_HOST_DEVICE T binary_accuracy_row(const T* p, const T* y, std::int64_t columns) {
  T matches = 0;
  for (std::int64_t c = 0; c < columns; ++c) matches += ((p[c] > T(0.5) ? T(1) : T(0)) == y[c]) ? T(1) : T(0);
  return matches / T(columns);
}

// One row's loss: the walkers call this with the row's pointers. `labels` is
// used by the sparse loss, `y` by the others; `grad` may be null.
template <class T>
CUSEQ_HOST_DEVICE T loss_row(LossKind kind, bool from_logits, const T* p, const T* y,
                             std::int32_t label, std::int64_t columns, T* grad, T scale) {
  switch (kind) {
    case LossKind::binary_crossentropy:
      return from_logits ? binary_crossentropy_logits_row(p, y, columns, grad, scale)
                         : binary_crossentropy_row(p, y, columns, grad, scale);
    case LossKind::categorical_crossentropy:
      return from_logits ? categorical_crossentropy_logits_row(p, y, columns, grad, scale)
                         : categorical_crossentropy_row(p, y, columns, grad, scale);
    case LossKind::sparse_categorical_crossentropy:
      return from_logits ? sparse_categorical_crossentropy_logits_row(p, label, columns, grad, scale)
                         : sparse_categorical_crossentropy_row(p, label, columns, grad, scale);
    case LossKind::mean_squared_error: return mean_squared_error_row(p, y, columns, grad, scale);
    case LossKind::mean_absolute_error: return mean_absolute_error_row(p, y, columns, grad, scale);
  }
  return T(0);
}

template <class T>
CUSEQ_HOST_DEVICE T metric_row(MetricKind kind, const T* p, const T* y, std::int32_t label,
                               std::int64_t columns) {
  switch (kind) {
    case MetricKind::binary_accuracy: return binary_accuracy_row(p, y, columns);
    case MetricKind::categorical_accuracy:
      return first_argmax(p, columns) == first_argmax(y, columns) ? T(1) : T(0);
    case MetricKind::sparse_categorical_accuracy:
      return first_argmax(p, columns) == label ? T(1) : T(0);
    case MetricKind::mean_absolute_error: return mean_absolute_error_row<T>(p, y, columns, nullptr, T(0));
    case MetricKind::mean_squared_error: return mean_squared_error_row<T>(p, y, columns, nullptr, T(0));
  }
  return T(0);
}

}  // namespace cuseq::detail
