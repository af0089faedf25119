// Optimizer steps as fused kernels: one kernel reads a parameter's gradient
// and slots once, clips the gradient, updates the slots and the parameter.
// Formulas are Keras 3's (docs/keras_compatibility.md lists where Keras 2 differs).
#pragma once

#include <cstdint>

#include "cuseq/export.h"
#include "cuseq/tensor.h"

namespace cuseq {

// Keras' per-parameter clipping, applied in Keras' order: clipvalue first
// (g = clip(g, -clipvalue, clipvalue)), then clipnorm
// (g = g * clipnorm / max(||g||, clipnorm)). 0 turns either off. With
// clipnorm a deterministic norm kernel runs before the step.
struct GradientClipping {
  double clipnorm = 0.0;
  double clipvalue = 0.0;
};

// momentum == 0: w -= lr g. Otherwise (Keras' ApplyKerasMomentum)
// v = momentum v - lr g; w += v, or with nesterov w += momentum v - lr g.
struct SgdStep {
  double learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
};

// rms = rho rms + (1 - rho) g^2 (centered: mg = rho mg + (1 - rho) g and
// denom = rms - mg^2); increment = lr g / sqrt(denom + epsilon) (Keras 3).
// momentum == 0: w -= increment; otherwise mom = momentum mom + increment,
// w -= mom.
struct RmspropStep {
  double learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
};

// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2 (amsgrad: vhat = max(vhat, v));
// w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v or vhat) + epsilon), t = step >= 1.
struct AdamStep {
  double learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  std::int64_t step = 1;
};

namespace ops {

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

}  // namespace ops
}  // namespace cuseq
