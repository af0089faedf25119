// Losses and metrics as kernels: each row of the predictions (the last axis)
// gives one loss or metric value, and a loss can write its gradient in the
// same pass. Callers average the row values with ops::reduce_all (a fixed
// order, so the result has the same bits every run: no float atomics).
#pragma once

#include <cstdint>

#include "cuseq/export.h"
#include "cuseq/loss_kinds.h"
#include "cuseq/tensor.h"

namespace cuseq {

namespace ops {

// predictions: [..., classes], float. target: the same shape and dtype, or for
// sparse_categorical_crossentropy int32 class ids with one per row (shape
// [...] or [..., 1]); an id outside [0, classes) is a cuseq::Error.
// row_loss: [rows] with rows = predictions.numel() / classes. When `grad` is
// defined (predictions' shape) it receives grad_scale * d(row loss)/d(pred):
// grad_scale = 1 / rows gives the gradient of the mean loss.
CUSEQ_API void loss_rows(LossKind kind, bool from_logits, const Tensor& predictions,
                         const Tensor& target, Tensor& row_loss, const Tensor& grad = Tensor(),
                         double grad_scale = 1.0);
// row_values: [rows], the metric of each row (accuracy: 1 or 0 for a
// categorical row, the fraction of matching entries for a binary row).
CUSEQ_API void metric_rows(MetricKind kind, const Tensor& predictions, const Tensor& target,
                           Tensor& row_values);

}  // namespace ops
}  // namespace cuseq
