// Keras' losses and metrics by name, and their batch means.
#pragma once

#include <string>
#include <vector>

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

// How a metric sums up an epoch: the mean of a per-row value (accuracy, MAE,
// MSE), or a statistic of the whole epoch's predictions (Keras' Precision,
// Recall, F1Score and AUC, which are not means of batch values).
enum class MetricStatistic { row_mean, precision, recall, f1, auc };

struct Metric {
  std::string name;  // as the user wrote it: the key in History and logs
  MetricKind kind = MetricKind::mean_absolute_error;  // for row_mean
  // "accuracy": the kind follows the shapes, as Keras 2.x chooses it.
  bool accuracy_by_shape = false;
  MetricStatistic statistic = MetricStatistic::row_mean;
};

// "accuracy" / "acc" become, as in Keras 2.x, binary accuracy (threshold 0.5)
// when the predictions' last axis is 1 (the binary_crossentropy case), sparse
// categorical accuracy when the target has one id per row (int32, a lower
// rank, or a last axis of 1), else categorical accuracy. Also "binary_accuracy",
// "categorical_accuracy", "sparse_categorical_accuracy", "mae", "mse" and
// their long names; and for binary (or multi-label) outputs "precision",
// "recall", "f1" / "f1_score" (threshold 0.5, every output one decision, as
// Keras' Precision, Recall and F1Score(average="micro", threshold=0.5)) and
// "auc" (Keras' AUC: ROC, 200 thresholds, interpolated). Keras' class names
// ("AUC", "Precision", "Recall", "F1Score") work too.
CUSEQ_API Metric metric_from_name(const std::string& name, const Loss& loss);
// A row_mean metric averaged over the rows of the batch.
CUSEQ_API double compute_metric(const Metric& metric, const Tensor& predictions,
                                const Tensor& target);

// A metric over the batches of an epoch, as Keras' stateful metrics keep it.
class CUSEQ_API MetricAccumulator {
 public:
  explicit MetricAccumulator(Metric metric);
  const Metric& metric() const { return metric_; }
  // Adds a batch: predictions [batch, ...] and the target as the loss takes it.
  void update(const Tensor& predictions, const Tensor& target);
  // The value so far (0 before any batch, and where a ratio would divide by 0).
  double result() const;

 private:
  Metric metric_;
  double sum_ = 0.0;   // row_mean: value times rows
  double rows_ = 0.0;  // row_mean: rows seen
  std::vector<double> true_positives_, false_positives_, positives_, negatives_;  // per threshold
  std::vector<double> thresholds_;
};

// Keras' sum-over-batch-size reduction with per-row weights: the mean over
// rows of weight * loss; `grad` (when defined) gets d/d(predictions).
// row_weights: one float per row of the predictions (rows = numel / last
// extent), on their device.
CUSEQ_API double compute_weighted_loss(const Loss& loss, const Tensor& predictions,
                                       const Tensor& target, const Tensor& row_weights,
                                       const Tensor& grad = Tensor());

}  // namespace cuseq
