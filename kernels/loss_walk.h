// One source for the loss kernels of both backends: a row body (math from
// loss_math.h) handed to for_each_row(Where{}, rows, columns, body), which
// calls body(row, walk) with the backend's row walk: on the CPU a thread walks
// a row in order (SequentialRow, loss_cpu.cpp), on the GPU a warp splits it
// across its lanes (WarpRow, loss.cu), so a 50,000-word vocabulary is read
// coalesced. Both reduce in a fixed order: the values are deterministic.
// loss_cpu.cpp and loss.cu include this after their walker and instantiate it.
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
