#include "cuseq/losses.h"

#include "cuseq/ops.h"

namespace cuseq {
namespace {

// One value per row of the predictions, on their device.
Tensor row_buffer(const Tensor& predictions) {
  check(predictions.defined() && predictions.rank() >= 1 && predictions.dim(-1) > 0, "loss",
        "expected predictions with a non-empty last axis, got ", predictions);
  return Tensor::empty(Shape{predictions.numel() / predictions.dim(-1)}, predictions.dtype(),
                       predictions.device());
}

double mean_of(const Tensor& rows) {
  return rows.numel() == 0 ? 0.0 : ops::reduce_all(Reduction::mean, rows).item();
}

// Keras 2.x's choice for "accuracy" (compile_utils: is_binary, is_sparse_categorical).
MetricKind accuracy_kind(const Tensor& predictions, const Tensor& target) {
  const std::int64_t classes = predictions.dim(-1);
  if (classes == 1) return MetricKind::binary_accuracy;
  const bool sparse = target.dtype() == DType::int32 || target.rank() < predictions.rank() ||
                      (target.rank() >= 1 && target.dim(-1) == 1);
  return sparse ? MetricKind::sparse_categorical_accuracy : MetricKind::categorical_accuracy;
}

}  // namespace

Loss loss_from_name(const std::string& name, bool from_logits) {
  if (name == "binary_crossentropy") return {LossKind::binary_crossentropy, from_logits};
  if (name == "categorical_crossentropy") return {LossKind::categorical_crossentropy, from_logits};
  if (name == "sparse_categorical_crossentropy") {
    return {LossKind::sparse_categorical_crossentropy, from_logits};
  }
  check(!from_logits, "loss", "from_logits applies to the cross-entropies, not to \"", name, "\"");
  if (name == "mse" || name == "mean_squared_error") return {LossKind::mean_squared_error, false};
  if (name == "mae" || name == "mean_absolute_error") return {LossKind::mean_absolute_error, false};
  fail("loss", "unknown loss \"", name,
       "\"; expected binary_crossentropy, categorical_crossentropy, "
       "sparse_categorical_crossentropy, mse or mae");
}

std::string loss_name(LossKind kind) {
  switch (kind) {
    case LossKind::binary_crossentropy:
      return "binary_crossentropy";
    case LossKind::categorical_crossentropy:
      return "categorical_crossentropy";
    case LossKind::sparse_categorical_crossentropy:
      return "sparse_categorical_crossentropy";
    case LossKind::mean_squared_error:
      return "mean_squared_error";
    case LossKind::mean_absolute_error:
      return "mean_absolute_error";
  }
  return "unknown";
}

double compute_loss(const Loss& loss, const Tensor& predictions, const Tensor& target,
                    const Tensor& grad) {
  Tensor rows = row_buffer(predictions);
  const double scale = rows.numel() == 0 ? 0.0 : 1.0 / static_cast<double>(rows.numel());
  ops::loss_rows(loss.kind, loss.from_logits, predictions, target, rows, grad, scale);
  return mean_of(rows);
}

Metric metric_from_name(const std::string& name, const Loss& loss) {
  if (name == "accuracy" || name == "acc") {
    const MetricKind guess = loss.kind == LossKind::binary_crossentropy
                                 ? MetricKind::binary_accuracy
                                 : (loss.kind == LossKind::sparse_categorical_crossentropy
                                        ? MetricKind::sparse_categorical_accuracy
                                        : MetricKind::categorical_accuracy);
    return {name, guess, true};
  }
  if (name == "binary_accuracy") return {name, MetricKind::binary_accuracy};
  if (name == "categorical_accuracy") return {name, MetricKind::categorical_accuracy};
  if (name == "sparse_categorical_accuracy") return {name, MetricKind::sparse_categorical_accuracy};
  if (name == "mae" || name == "mean_absolute_error")
    return {name, MetricKind::mean_absolute_error};
  if (name == "mse" || name == "mean_squared_error") return {name, MetricKind::mean_squared_error};
  const auto statistic = [&](MetricStatistic s) {
    Metric metric{name, MetricKind::binary_accuracy};
    metric.statistic = s;
    return metric;
  };
  if (name == "precision" || name == "Precision") return statistic(MetricStatistic::precision);
  if (name == "recall" || name == "Recall") return statistic(MetricStatistic::recall);
  if (name == "f1" || name == "f1_score" || name == "F1Score") {
    return statistic(MetricStatistic::f1);
  }
  if (name == "auc" || name == "AUC") return statistic(MetricStatistic::auc);
  fail("metric", "unknown metric \"", name,
       "\"; expected accuracy, binary_accuracy, categorical_accuracy, "
       "sparse_categorical_accuracy, mae, mse, precision, recall, f1 or auc");
}

double compute_weighted_loss(const Loss& loss, const Tensor& predictions, const Tensor& target,
                             const Tensor& row_weights, const Tensor& grad) {
  Tensor rows = row_buffer(predictions);
  check(row_weights.defined() && row_weights.numel() == rows.numel(), "loss", "expected ",
        rows.numel(), " row weights for predictions ", predictions, ", got ", row_weights);
  const double scale = rows.numel() == 0 ? 0.0 : 1.0 / static_cast<double>(rows.numel());
  ops::loss_rows(loss.kind, loss.from_logits, predictions, target, rows, grad, scale);
  const Tensor weights = row_weights.reshape(rows.shape().dims());
  ops::multiply(rows, weights, rows);
  if (grad.defined()) {
    // Each row's gradient scales with its weight: the weights repeated along the last axis.
    const std::int64_t columns = predictions.dim(-1);
    const Tensor host = weights.to(Device::cpu());
    Tensor spread = Tensor::empty(Shape{rows.numel(), columns}, predictions.dtype());
    for (std::int64_t r = 0; r < rows.numel(); ++r) {
      for (std::int64_t c = 0; c < columns; ++c) {
        if (predictions.dtype() == DType::float64) {
          spread.data<double>()[r * columns + c] = host.data<double>()[r];
        } else {
          spread.data<float>()[r * columns + c] = host.data<float>()[r];
        }
      }
    }
    Tensor grad_rows = grad.reshape({rows.numel(), columns});
    ops::multiply(grad_rows, spread.to(predictions.device()), grad_rows);
  }
  return mean_of(rows);
}

double compute_metric(const Metric& metric, const Tensor& predictions, const Tensor& target) {
  Tensor rows = row_buffer(predictions);
  ops::metric_rows(metric.accuracy_by_shape ? accuracy_kind(predictions, target) : metric.kind,
                   predictions, target, rows);
  return mean_of(rows);
}

}  // namespace cuseq
