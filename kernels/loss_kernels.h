// The loss and metric kernel family, declared once for both backends and
// defined once in loss_walk.h: LossKernels<Cpu> (loss_cpu.cpp, a loop on the thread pool
// over rows) and LossKernels<Cuda> (loss.cu, one warp per row). Arguments
// arrive validated by loss_ops.cpp.
#pragma once

#include <cstdint>

#include "cuseq/loss_kinds.h"
#include "cuseq/tensor.h"
#include "kernels/backend.h"

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

}  // namespace cuseq::detail
