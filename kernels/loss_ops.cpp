// cuseq::ops losses and metrics: argument checks, then one dispatch.
#include "cuseq/loss_ops.h"

#include <string>

#include "kernels/backend.h"
#include "kernels/loss.h"

namespace cuseq::ops {
namespace {

using detail::LossKernels;
using detail::on_backend;

bool is_sparse(LossKind kind) { return kind == LossKind::sparse_categorical_crossentropy; }
bool is_sparse(MetricKind kind) { return kind == MetricKind::sparse_categorical_accuracy; }

// Checks predictions and target and returns the number of classes (columns).
std::int64_t check_rows(const std::string& op, bool sparse, const Tensor& predictions,
                        const Tensor& target, const Tensor& row_values) {
  check(predictions.defined() && target.defined(), op, "predictions or target is undefined");
  check(predictions.dtype() == DType::float32 || predictions.dtype() == DType::float64, op,
        "expected float32 or float64 predictions, got ", predictions);
  check(predictions.rank() >= 1 && predictions.dim(-1) > 0, op,
        "expected predictions with a non-empty last axis, got ", predictions);
  check_same_device(predictions, target, op);
  const std::int64_t columns = predictions.dim(-1);
  const std::int64_t rows = predictions.numel() / columns;
  if (sparse) {
    check_dtype(target, DType::int32, op, "target (integer class ids)");
    check(target.numel() == rows, op, "expected one class id per row of predictions ", predictions,
          " (", rows, " ids), got target ", target);
  } else {
    check_dtype(target, predictions.dtype(), op, "target");
    check_shape(target, predictions.shape(), op, "target");
  }
  check_dtype(row_values, predictions.dtype(), op, "row values");
  check_shape(row_values, Shape{rows}, op, "row values");
  check_same_device(row_values, predictions, op);
  return columns;
}

}  // namespace

void loss_rows(LossKind kind, bool from_logits, const Tensor& predictions, const Tensor& target,
               Tensor& row_loss, const Tensor& grad, double grad_scale) {
  const std::string op = "loss";
  const std::int64_t columns = check_rows(op, is_sparse(kind), predictions, target, row_loss);
  if (grad.defined()) {
    check_dtype(grad, predictions.dtype(), op, "grad");
    check_shape(grad, predictions.shape(), op, "grad");
    check_same_device(grad, predictions, op);
  }
  on_backend(predictions.device(), op, [&](auto where) {
    using K = LossKernels<decltype(where)>;
    if (is_sparse(kind)) {
      const std::int64_t bad = K::first_invalid_label(target, columns);
      if (bad >= 0) {
        const std::int32_t label = target.reshape({-1})
                                       .slice(bad, bad + 1)
                                       .to(Device::cpu())
                                       .template to_vector<std::int32_t>()[0];
        fail("sparse_categorical_crossentropy", "label ", label, " at position ", bad,
             " is outside [0, ", columns, ") for predictions ", predictions.str());
      }
    }
    K::loss_rows(kind, from_logits, predictions, target, columns, row_loss, grad, grad_scale);
  });
}

void metric_rows(MetricKind kind, const Tensor& predictions, const Tensor& target,
                 Tensor& row_values) {
  const std::int64_t columns =
      check_rows("metric", is_sparse(kind), predictions, target, row_values);
  on_backend(predictions.device(), "metric", [&](auto where) {
    LossKernels<decltype(where)>::metric_rows(kind, predictions, target, columns, row_values);
  });
}

}  // namespace cuseq::ops
