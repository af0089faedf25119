// Keras' losses and metrics by name, and their batch means.
#pragma once

#include <string>

#include "cuseq/export.h"
#include "cuseq/loss_ops.h"
#include "cuseq/tensor.h"

namespace cuseq {

struct Loss {
  LossKind kind = LossKind::mean_squared_error;
  bool from_logits = false;
};

// "binary_crossentropy", "categorical_crossentropy",
// "sparse_categorical_crossentropy", "mse" / "mean_squared_error",
// "mae" / "mean_absolute_error".
CUSEQ_API Loss loss_from_name(const std::string& name, bool from_logits = false);
CUSEQ_API std::string loss_name(LossKind kind);

// The loss averaged over the rows of the batch (Keras' sum over batch size).
// When `grad` is defined it receives d(mean loss)/d(predictions).
CUSEQ_API double compute_loss(const Loss& loss, const Tensor& predictions, const Tensor& target,
                              const Tensor& grad = Tensor());

struct Metric {
  std::string name;  // as the user wrote it: the key in History and logs
  MetricKind kind = MetricKind::mean_absolute_error;
  // "accuracy": the kind follows the shapes, as Keras 2.x chooses it.
  bool accuracy_by_shape = false;
};

// "accuracy" / "acc" become, as in Keras 2.x, binary accuracy (threshold 0.5)
// when the predictions' last axis is 1 (the binary_crossentropy case), sparse
// categorical accuracy when the target has one id per row (int32, a lower
// rank, or a last axis of 1), else categorical accuracy. Also "binary_accuracy",
// "categorical_accuracy", "sparse_categorical_accuracy", "mae", "mse" and
// their long names.
CUSEQ_API Metric metric_from_name(const std::string& name, const Loss& loss);
// The metric averaged over the rows of the batch.
CUSEQ_API double compute_metric(const Metric& metric, const Tensor& predictions,
                                const Tensor& target);

}  // namespace cuseq
