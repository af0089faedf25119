// Which loss or metric a row kernel computes (cuseq/loss_ops.h). A header of
// its own so that their kernels (kernels/loss.h) need the enums and not
// the ops' API.
#pragma once

namespace cuseq {

// Keras' losses. Per row: binary_crossentropy, mean_squared_error and
// mean_absolute_error average over the last axis; the cross-entropies sum
// over the classes. Probabilities are clipped to [1e-7, 1 - 1e-7] as Keras
// does; from_logits takes raw scores (sigmoid or softmax fused in).
enum class LossKind {
  binary_crossentropy,
  categorical_crossentropy,
  sparse_categorical_crossentropy,
  mean_squared_error,
  mean_absolute_error,
};

// Keras' metrics; binary_accuracy thresholds predictions at 0.5, the
// categorical ones compare the first argmax of each row.
enum class MetricKind {
  binary_accuracy,
  categorical_accuracy,
  sparse_categorical_accuracy,
  mean_absolute_error,
  mean_squared_error,
};

}  // namespace cuseq
