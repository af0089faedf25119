// The regularization kernel family, declared once for both backends:
// RegularizationKernels<Cpu> (regularization_cpu.cpp) and
// RegularizationKernels<Cuda> (regularization.cu).
#pragma once

#include "kernels/backend.h"

namespace cuseq::detail {

template <class Where>
struct RegularizationKernels {
  // out (shape []) = l1 * sum|w| + l2 * sum w^2, summed in a fixed order (deterministic).
  static void penalty(const Tensor& w, double l1, double l2, Tensor& out);
  // grad += l1 * sign(w) + 2 * l2 * w.
  static void add_grad(const Tensor& w, double l1, double l2, Tensor& grad);
};

}  // namespace cuseq::detail
