// Optimizer steps as fused kernels: one kernel reads a parameter's gradient
// and slots once, clips the gradient, updates the slots and the parameter.
// Formulas are Keras 3's (docs/keras_compatibility.md lists where Keras 2 differs).
#pragma once

#include "cuseq/export.h"
#include "cuseq/optimizer_steps.h"
#include "cuseq/tensor.h"

namespace cuseq::ops {

// Slots have the parameter's shape, dtype and device. Slots a configuration
// does not use may be undefined (velocity when momentum == 0, mean_grad unless
// centered, vhat unless amsgrad).
CUSEQ_API void sgd_step(const SgdStep& step, const GradientClipping& clipping, Tensor& value,
                        const Tensor& grad, Tensor& velocity);
CUSEQ_API void rmsprop_step(const RmspropStep& step, const GradientClipping& clipping,
                            Tensor& value, const Tensor& grad, Tensor& rms, Tensor& momentum,
                            Tensor& mean_grad);
CUSEQ_API void adam_step(const AdamStep& step, const GradientClipping& clipping, Tensor& value,
                         const Tensor& grad, Tensor& m, Tensor& v, Tensor& vhat);
// sum(clip(g, -clipvalue, clipvalue)^2) as a [] tensor (clipvalue 0: no clip),
// in a fixed order.
CUSEQ_API Tensor clipped_squared_norm(const Tensor& grad, double clipvalue);

}  // namespace cuseq::ops
