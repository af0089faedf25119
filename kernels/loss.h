// The loss and metric kernel family, one source for both backends: the
// kernels' one interface; the math of the losses and metrics, one row (the
// last axis) at a time (each loss returns the row's value and, when `grad` is
// not null, writes scale * d(value)/d(pred)); and the kernels' definition as
// a row body handed to for_each_row(Where{}, rows, columns, body), which calls
// body(row, walk) with the backend's row walk: on the CPU a thread walks a row
// in order (SequentialRow, loss_cpu.cpp), on the GPU a warp splits it across
// its lanes (WarpRow, loss.cu), so a 50,000-word vocabulary is read
// coalesced. Both reduce in a fixed order: the values are deterministic.
// loss_cpu.cpp and loss.cu define their walker, then instantiate LossKernels;
// loss_ops.cpp checks the arguments and dispatches.
#pragma once

#include <cmath>
#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/loss_kinds.h"
#include "cuseq/tensor.h"
#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"

namespace cuseq::detail {

template <class Where>
struct LossKernels {
  // The flat position of the first label outside [0, classes), or -1.
  static std::int64_t first_invalid_label(const Tensor& labels, std::int64_t classes);
  // `target` holds int32 labels for the sparse loss; `grad` may be undefined.
  static void loss_rows(LossKind kind, bool from_logits, const Tensor& predictions,
                        const Tensor& target, std::int64_t columns, Tensor& row_loss,
                        const Tensor& grad, double grad_scale);
  static void metric_rows(MetricKind kind, const Tensor& predictions, const Tensor& target,
                          std::int64_t columns, Tensor& row_values);
};
// Each backend checks labels its own way (loss_cpu.cpp, loss.cu).
template <>
std::int64_t LossKernels<Cpu>::first_invalid_label(const Tensor& labels, std::int64_t classes);
template <>
std::int64_t LossKernels<Cuda>::first_invalid_label(const Tensor& labels, std::int64_t classes);
// The rest is instantiated only where the walker is: loss_cpu.cpp and loss.cu.
extern template struct LossKernels<Cpu>;
extern template struct LossKernels<Cuda>;

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

// The row functions below never loop themselves: they ask a row walk `w` for
// sums, maxima and per-column writes, so that one source serves a CPU thread
// walking the row in order (SequentialRow, loss_cpu.cpp) and a GPU warp
// splitting it across its lanes (WarpRow, loss.cu). A walk provides:
//   w.sum(columns, f)    sum of f(c) over the row (the same value in every lane)
//   w.max(columns, f)    maximum of f(c)
//   w.each(columns, f)   calls f(c) once for every column
//   w.first_argmax(x, columns)  the first column holding the row's maximum

// Keras 3: -(y log(q) + (1 - y) log(1 - q)) with q = p clipped to
// [eps, 1 - eps] (Keras 2 also added eps inside both logs).
template <class T, class Walk>
CUSEQ_HOST_DEVICE T binary_crossentropy_row(const Walk& w, const T* p, const T* y,
                                            std::int64_t columns, T* grad, T scale) {
  if (grad) {
    w.each(columns, [&](std::int64_t c) {
      const T q = clip_probability(p[c]);
      const T d = -(y[c] / q - (T(1) - y[c]) / (T(1) - q));
      grad[c] = scale * clip_passes(p[c]) * d / T(columns);
    });
  }
  const T total = w.sum(columns, [&](std::int64_t c) {
    const T q = clip_probability(p[c]);
    return -(y[c] * log(q) + (T(1) - y[c]) * log(T(1) - q));
  });
  return total / T(columns);
}

// max(x, 0) - x y + log(1 + e^-|x|): never overflows; gradient sigmoid(x) - y.
template <class T, class Walk>
CUSEQ_HOST_DEVICE T binary_crossentropy_logits_row(const Walk& w, const T* x, const T* y,
                                                   std::int64_t columns, T* grad, T scale) {
  if (grad) {
    w.each(columns,
           [&](std::int64_t c) { grad[c] = scale * (stable_sigmoid(x[c]) - y[c]) / T(columns); });
  }
  const T total = w.sum(columns, [&](std::int64_t c) {
    return (x[c] > T(0) ? x[c] : T(0)) - x[c] * y[c] + log1p(exp(-fabs(x[c])));
  });
  return total / T(columns);
}

// Keras: q = p / sum(p), clipped, then -sum(y log q). The gradient goes back
// through the normalisation: dq_j/dp_k = (delta_jk - q_j) / sum(p).
template <class T, class Walk>
CUSEQ_HOST_DEVICE T categorical_crossentropy_row(const Walk& w, const T* p, const T* y,
                                                 std::int64_t columns, T* grad, T scale) {
  const T sum = w.sum(columns, [&](std::int64_t c) { return p[c]; });
  const T total =
      w.sum(columns, [&](std::int64_t c) { return -y[c] * log(clip_probability(p[c] / sum)); });
  if (grad) {
    // sum_j dL/dq_j * q_j: (-y / q) * q where the clip passes.
    const T weighted =
        w.sum(columns, [&](std::int64_t c) { return -clip_passes(p[c] / sum) * y[c]; });
    w.each(columns, [&](std::int64_t c) {
      const T q = p[c] / sum;
      const T dq = clip_passes(q) * -y[c] / clip_probability(q);
      grad[c] = scale * (dq - weighted) / sum;
    });
  }
  return total;
}

// log(sum(e^x)) with the maximum taken out first.
template <class T, class Walk>
CUSEQ_HOST_DEVICE T log_sum_exp(const Walk& w, const T* x, std::int64_t columns) {
  const T largest = w.max(columns, [&](std::int64_t c) { return x[c]; });
  return largest + log(w.sum(columns, [&](std::int64_t c) { return exp(x[c] - largest); }));
}

// Softmax and cross-entropy fused: sum_j y_j (lse - x_j); gradient
// sum(y) softmax(x) - y.
template <class T, class Walk>
CUSEQ_HOST_DEVICE T categorical_crossentropy_logits_row(const Walk& w, const T* x, const T* y,
                                                        std::int64_t columns, T* grad, T scale) {
  const T lse = log_sum_exp(w, x, columns);
  const T total = w.sum(columns, [&](std::int64_t c) { return y[c] * (lse - x[c]); });
  if (grad) {
    const T y_sum = w.sum(columns, [&](std::int64_t c) { return y[c]; });
    w.each(columns, [&](std::int64_t c) { grad[c] = scale * (y_sum * exp(x[c] - lse) - y[c]); });
  }
  return total;
}

// Keras feeds log(clip(p)) to a softmax cross-entropy:
// -log r_t + log(sum r) with r = clip(p).
template <class T, class Walk>
CUSEQ_HOST_DEVICE T sparse_categorical_crossentropy_row(const Walk& w, const T* p,
                                                        std::int32_t label, std::int64_t columns,
                                                        T* grad, T scale) {
  const T sum = w.sum(columns, [&](std::int64_t c) { return clip_probability(p[c]); });
  const T r_label = clip_probability(p[label]);
  if (grad) {
    w.each(columns, [&](std::int64_t c) {
      const T d = T(1) / sum - (c == label ? T(1) / r_label : T(0));
      grad[c] = scale * clip_passes(p[c]) * d;
    });
  }
  return log(sum) - log(r_label);
}

template <class T, class Walk>
CUSEQ_HOST_DEVICE T sparse_categorical_crossentropy_logits_row(const Walk& w, const T* x,
                                                               std::int32_t label,
                                                               std::int64_t columns, T* grad,
                                                               T scale) {
  const T lse = log_sum_exp(w, x, columns);
  if (grad) {
    w.each(columns, [&](std::int64_t c) {
      grad[c] = scale * (exp(x[c] - lse) - (c == label ? T(1) : T(0)));
    });
  }
  return lse - x[label];
}

template <class T, class Walk>
CUSEQ_HOST_DEVICE T mean_squared_error_row(const Walk& w, const T* p, const T* y,
                                           std::int64_t columns, T* grad, T scale) {
  if (grad) {
    w.each(columns, [&](std::int64_t c) { grad[c] = scale * T(2) * (p[c] - y[c]) / T(columns); });
  }
  const T total = w.sum(columns, [&](std::int64_t c) {
    const T d = p[c] - y[c];
    return d * d;
  });
  return total / T(columns);
}

template <class T, class Walk>
CUSEQ_HOST_DEVICE T mean_absolute_error_row(const Walk& w, const T* p, const T* y,
                                            std::int64_t columns, T* grad, T scale) {
  if (grad) {
    w.each(columns, [&](std::int64_t c) {
      const T d = p[c] - y[c];
      // d|d|/dd = sign(d), 0 at d = 0 as in TensorFlow.
      grad[c] = scale * (d > T(0) ? T(1) : (d < T(0) ? T(-1) : T(0))) / T(columns);
    });
  }
  return w.sum(columns, [&](std::int64_t c) { return fabs(p[c] - y[c]); }) / T(columns);
}

template <class T, class Walk>
CUSEQ_HOST_DEVICE T binary_accuracy_row(const Walk& w, const T* p, const T* y,
                                        std::int64_t columns) {
  const T matches = w.sum(columns, [&](std::int64_t c) {
    return ((p[c] > T(0.5) ? T(1) : T(0)) == y[c]) ? T(1) : T(0);
  });
  return matches / T(columns);
}

// One row's loss: the walkers call this with the row's pointers. `labels` is
// used by the sparse loss, `y` by the others; `grad` may be null.
template <class T, class Walk>
CUSEQ_HOST_DEVICE T loss_row(const Walk& w, LossKind kind, bool from_logits, const T* p, const T* y,
                             std::int32_t label, std::int64_t columns, T* grad, T scale) {
  switch (kind) {
    case LossKind::binary_crossentropy:
      return from_logits ? binary_crossentropy_logits_row(w, p, y, columns, grad, scale)
                         : binary_crossentropy_row(w, p, y, columns, grad, scale);
    case LossKind::categorical_crossentropy:
      return from_logits ? categorical_crossentropy_logits_row(w, p, y, columns, grad, scale)
                         : categorical_crossentropy_row(w, p, y, columns, grad, scale);
    case LossKind::sparse_categorical_crossentropy:
      return from_logits
                 ? sparse_categorical_crossentropy_logits_row(w, p, label, columns, grad, scale)
                 : sparse_categorical_crossentropy_row(w, p, label, columns, grad, scale);
    case LossKind::mean_squared_error:
      return mean_squared_error_row(w, p, y, columns, grad, scale);
    case LossKind::mean_absolute_error:
      return mean_absolute_error_row(w, p, y, columns, grad, scale);
  }
  return T(0);
}

template <class T, class Walk>
CUSEQ_HOST_DEVICE T metric_row(const Walk& w, MetricKind kind, const T* p, const T* y,
                               std::int32_t label, std::int64_t columns) {
  switch (kind) {
    case MetricKind::binary_accuracy:
      return binary_accuracy_row(w, p, y, columns);
    case MetricKind::categorical_accuracy:
      return w.first_argmax(p, columns) == w.first_argmax(y, columns) ? T(1) : T(0);
    case MetricKind::sparse_categorical_accuracy:
      return w.first_argmax(p, columns) == label ? T(1) : T(0);
    case MetricKind::mean_absolute_error:
      return mean_absolute_error_row<T>(w, p, y, columns, nullptr, T(0));
    case MetricKind::mean_squared_error:
      return mean_squared_error_row<T>(w, p, y, columns, nullptr, T(0));
  }
  return T(0);
}

// Either float targets `y` (same layout as the predictions) or int32 labels.
template <class T>
struct RowTargets {
  const T* y;
  const std::int32_t* labels;
  CUSEQ_HOST_DEVICE const T* row(std::int64_t r, std::int64_t columns) const {
    return y ? y + r * columns : nullptr;
  }
  CUSEQ_HOST_DEVICE std::int32_t label(std::int64_t r) const { return labels ? labels[r] : 0; }
};

template <class T>
RowTargets<T> row_targets(const Tensor& target) {
  if (target.dtype() == DType::int32) return RowTargets<T>{nullptr, target.data<std::int32_t>()};
  return RowTargets<T>{target.data<T>(), nullptr};
}

template <class T>
struct LossRowBody {
  LossKind kind;
  bool from_logits;
  const T* predictions;
  RowTargets<T> targets;
  std::int64_t columns;
  T* row_loss;
  T* grad;  // null: value only
  T scale;
  template <class Walk>
  CUSEQ_HOST_DEVICE void operator()(std::int64_t r, const Walk& w) const {
    const T value =
        loss_row(w, kind, from_logits, predictions + r * columns, targets.row(r, columns),
                 targets.label(r), columns, grad ? grad + r * columns : nullptr, scale);
    if (w.leads()) row_loss[r] = value;
  }
};

template <class T>
struct MetricRowBody {
  MetricKind kind;
  const T* predictions;
  RowTargets<T> targets;
  std::int64_t columns;
  T* row_values;
  template <class Walk>
  CUSEQ_HOST_DEVICE void operator()(std::int64_t r, const Walk& w) const {
    const T value = metric_row(w, kind, predictions + r * columns, targets.row(r, columns),
                               targets.label(r), columns);
    if (w.leads()) row_values[r] = value;
  }
};

template <class Where>
void LossKernels<Where>::loss_rows(LossKind kind, bool from_logits, const Tensor& predictions,
                                   const Tensor& target, std::int64_t columns, Tensor& row_loss,
                                   const Tensor& grad, double grad_scale) {
  dispatch_floating(predictions.dtype(), "loss", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_row(Where{}, row_loss.numel(), columns,
                 LossRowBody<T>{kind, from_logits, predictions.data<T>(), row_targets<T>(target),
                                columns, row_loss.data<T>(),
                                grad.defined() ? grad.data<T>() : nullptr, T(grad_scale)});
  });
}

template <class Where>
void LossKernels<Where>::metric_rows(MetricKind kind, const Tensor& predictions,
                                     const Tensor& target, std::int64_t columns,
                                     Tensor& row_values) {
  dispatch_floating(predictions.dtype(), "metric", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_row(Where{}, row_values.numel(), columns,
                 MetricRowBody<T>{kind, predictions.data<T>(), row_targets<T>(target), columns,
                                  row_values.data<T>()});
  });
}

}  // namespace cuseq::detail
