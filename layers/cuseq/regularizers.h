// The regularization ops for a cuseq::Regularizer (layer.h): what the model
// calls for each parameter's regularizer and each layer's activity_regularizer.
#pragma once

#include "cuseq/layer.h"
#include "cuseq/regularization_ops.h"

namespace cuseq::ops {

// regularizer.l1 * sum|w| + regularizer.l2 * sum(w^2), as a tensor of shape [].
inline Tensor regularization_penalty(const Tensor& w, const Regularizer& regularizer) {
  return regularization_penalty(w, regularizer.l1, regularizer.l2);
}
// grad += l1 * sign(w) + 2 * l2 * w.
inline void add_regularization_grad(const Tensor& w, const Regularizer& regularizer, Tensor& grad) {
  add_regularization_grad(w, regularizer.l1, regularizer.l2, grad);
}

}  // namespace cuseq::ops
