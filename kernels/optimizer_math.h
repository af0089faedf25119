// The math of the optimizer steps, written once for the CUDA kernels and their
// CPU twins (see cuseq/optimizer_ops.h for the formulas and their sources).
#pragma once

#include <cmath>
#include <cstdint>

#include "cuseq/host_device.h"

namespace cuseq::detail {

#if !defined(__CUDA_ARCH__)
using std::sqrt;
#endif

// Keras' clipvalue, then clipnorm from a precomputed squared norm (null: off).
template <class T>
struct ClipRule {
  T clipvalue;  // 0: off
  T clipnorm;
  const T* squared_norm;

  CUSEQ_HOST_DEVICE T clip_value(T g) const {
    if (clipvalue <= T(0)) return g;
    return g < -clipvalue ? -clipvalue : (g > clipvalue ? clipvalue : g);
  }
  CUSEQ_HOST_DEVICE T operator()(T g) const {
    g = clip_value(g);
    if (!squared_norm) return g;
    const T norm = sqrt(*squared_norm);
    return g * clipnorm / (norm > clipnorm ? norm : clipnorm);
  }
};

template <class T>
struct SgdBody {
  T learning_rate, momentum;
  bool nesterov;
  ClipRule<T> clip;
  T* value;
  const T* grad;
  T* velocity;  // null when momentum == 0
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    const T g = clip(grad[i]);
    if (!velocity) {
      value[i] -= learning_rate * g;
      return;
    }
    const T v = momentum * velocity[i] - learning_rate * g;
    velocity[i] = v;
    value[i] += nesterov ? momentum * v - learning_rate * g : v;
  }
};

// kPlain: no clipping, no momentum, not centered (as AdamBody's kPlain).
template <class T, bool kPlain = false>
struct RmspropBody {
  T learning_rate, rho, momentum, epsilon;
  ClipRule<T> clip;
  T* value;
  const T* grad;
  T* rms;
  T* momentum_slot;  // null when momentum == 0
  T* mean_grad;      // null unless centered
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    const T g = kPlain ? grad[i] : clip(grad[i]);
    const T r = rho * rms[i] + (T(1) - rho) * g * g;
    rms[i] = r;
    T denom = r;
    if (!kPlain && mean_grad) {
      const T mg = rho * mean_grad[i] + (T(1) - rho) * g;
      mean_grad[i] = mg;
      denom = r - mg * mg;
    }
    // Keras 3: epsilon inside the root, with or without momentum (Keras 2
    // added it outside the root when momentum was 0).
    const T increment = learning_rate * g / sqrt(denom + epsilon);
    if (kPlain || !momentum_slot) {
      value[i] -= increment;
      return;
    }
    const T mom = momentum * momentum_slot[i] + increment;
    momentum_slot[i] = mom;
    value[i] -= mom;
  }
};

// kPlain: no clipping and no AMSGrad, known at compile time, so the body has
// no branches and the CPU loop is vectorized (with the rule and the vhat test
// in it GCC kept it scalar: one sqrtss and one divss per weight, 12% of a
// small LSTM's epoch, most of it the Embedding's 320k weights).
template <class T, bool kPlain = false>
struct AdamBody {
  T alpha;  // lr sqrt(1 - b2^t) / (1 - b1^t), computed on the host in double
  T beta_1, beta_2, epsilon;
  ClipRule<T> clip;
  T* value;
  const T* grad;
  T* m;
  T* v;
  T* vhat;  // null unless amsgrad
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    const T g = kPlain ? grad[i] : clip(grad[i]);
    const T m_t = beta_1 * m[i] + (T(1) - beta_1) * g;
    const T v_t = beta_2 * v[i] + (T(1) - beta_2) * g * g;
    m[i] = m_t;
    v[i] = v_t;
    T second = v_t;
    if (!kPlain && vhat) {
      second = vhat[i] > v_t ? vhat[i] : v_t;
      vhat[i] = second;
    }
    value[i] -= alpha * m_t / (sqrt(second) + epsilon);
  }
};

}  // namespace cuseq::detail
