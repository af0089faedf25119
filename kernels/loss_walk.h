// One source for the loss kernels of both backends: a row body (math from
// loss_math.h) handed to for_each_index(Where{}, rows, body). loss_cpu.cpp and
// loss.cu include this after their walker and instantiate it. On the GPU one
// thread walks one row: rows are independent and short (classes), and a fixed
// order per row keeps the values deterministic.
#pragma once

#include <cstdint>

#include "kernels/dtype_dispatch.h"
#include "kernels/loss_kernels.h"
#include "kernels/loss_math.h"

namespace cuseq::detail {

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
  CUSEQ_HOST_DEVICE void operator()(std::int64_t r) const {
    row_loss[r] = loss_row(kind, from_logits, predictions + r * columns, targets.row(r, columns),
                           targets.label(r), columns, grad ? grad + r * columns : nullptr, scale);
  }
};

template <class T>
struct MetricRowBody {
  MetricKind kind;
  const T* predictions;
  RowTargets<T> targets;
  std::int64_t columns;
  T* row_values;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t r) const {
    row_values[r] = metric_row(kind, predictions + r * columns, targets.row(r, columns),
                               targets.label(r), columns);
  }
};

template <class Where>
void LossKernels<Where>::loss_rows(LossKind kind, bool from_logits, const Tensor& predictions,
                                   const Tensor& target, std::int64_t columns, Tensor& row_loss,
                                   const Tensor& grad, double grad_scale) {
  dispatch_floating(predictions.dtype(), "loss", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, row_loss.numel(),
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
    for_each_index(Where{}, row_values.numel(),
                   MetricRowBody<T>{kind, predictions.data<T>(), row_targets<T>(target), columns,
                                    row_values.data<T>()});
  });
}

}  // namespace cuseq::detail
