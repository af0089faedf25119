// The optimizer kernel family, declared once for both backends:
// OptimizerKernels<Cpu> (optimizer_cpu.cpp) and OptimizerKernels<Cuda>
// (optimizer.cu). The fused steps are defined once in optimizer_walk.h.
// Arguments arrive validated by optimizer_ops.cpp; `squared_norm` is a []
// tensor from clipped_squared_norm, or undefined when clipnorm is off.
#pragma once

#include "cuseq/optimizer_steps.h"
#include "cuseq/tensor.h"
#include "kernels/backend.h"

namespace cuseq::detail {

template <class Where>
struct OptimizerKernels {
  static void clipped_squared_norm(const Tensor& grad, double clipvalue, Tensor& out);
  static void sgd(const SgdStep& step, const GradientClipping& clipping, const Tensor& squared_norm,
                  Tensor& value, const Tensor& grad, const Tensor& velocity);
  static void rmsprop(const RmspropStep& step, const GradientClipping& clipping,
                      const Tensor& squared_norm, Tensor& value, const Tensor& grad,
                      const Tensor& rms, const Tensor& momentum, const Tensor& mean_grad);
  static void adam(const AdamStep& step, const GradientClipping& clipping,
                   const Tensor& squared_norm, Tensor& value, const Tensor& grad, const Tensor& m,
                   const Tensor& v, const Tensor& vhat);
};

}  // namespace cuseq::detail
