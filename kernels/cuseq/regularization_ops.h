// Keras' l1/l2 penalties and their gradients (cuseq::ops), for weight and
// activity regularizers. Layers pass a cuseq::Regularizer's l1 and l2
// (cuseq/regularizers.h has overloads taking one).
#pragma once

#include "cuseq/export.h"
#include "cuseq/tensor.h"

namespace cuseq::ops {

// out (shape [], w's dtype and device) = l1 * sum|w| + l2 * sum(w^2), summed
// in a fixed order: the same value every run.
CUSEQ_API void regularization_penalty(const Tensor& w, double l1, double l2, Tensor& out);
CUSEQ_API Tensor regularization_penalty(const Tensor& w, double l1, double l2);
// grad += l1 * sign(w) + 2 * l2 * w (sign(0) = 0).
CUSEQ_API void add_regularization_grad(const Tensor& w, double l1, double l2, Tensor& grad);

}  // namespace cuseq::ops
