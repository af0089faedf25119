// An optimizer step's settings and the gradient clipping before it
// (cuseq/optimizer_ops.h). A header of its own so that the optimizer kernels
// need these plain structs and not the ops' API.
#pragma once

#include <cstdint>

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

}  // namespace cuseq
