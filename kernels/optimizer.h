// The optimizer kernel family, one source for both backends: the math of the
// fused steps (see cuseq/optimizer_ops.h for the formulas and their sources),
// the kernels' one interface, and the steps' definition as bodies handed to
// for_each_index(Where{}, n, body). On the GPU that is one grid-stride kernel
// per parameter per step, each element read and written once (coalesced): a
// memory-bound pass. optimizer_cpu.cpp instantiates them for the CPU (cuseq's
// thread pool) with a serial norm, optimizer.cu for CUDA with a two-pass
// norm; optimizer_ops.cpp checks the arguments and dispatches. Arguments
// arrive validated; `squared_norm` is a [] tensor from clipped_squared_norm,
// or undefined when clipnorm is off.
#pragma once

#include <cmath>
#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/optimizer_steps.h"
#include "cuseq/tensor.h"
#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"

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

// Each backend sums the norm its own way (optimizer_cpu.cpp, optimizer.cu).
template <>
void OptimizerKernels<Cpu>::clipped_squared_norm(const Tensor& grad, double clipvalue, Tensor& out);
template <>
void OptimizerKernels<Cuda>::clipped_squared_norm(const Tensor& grad, double clipvalue,
                                                  Tensor& out);
// The steps are instantiated only where the walker is: optimizer_cpu.cpp and optimizer.cu.
extern template struct OptimizerKernels<Cpu>;
extern template struct OptimizerKernels<Cuda>;

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

template <class T>
T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

template <class T>
ClipRule<T> clip_rule(const GradientClipping& clipping, const Tensor& squared_norm) {
  return ClipRule<T>{T(clipping.clipvalue), T(clipping.clipnorm), data_or_null<T>(squared_norm)};
}

// for_each_index(Where{}, ...) is found where these are instantiated, after
// the walker (parallel_for_cpu.h, for_each_cuda.cuh).

// No clipping at all: the steps then walk their branch-free bodies (kPlain).
inline bool unclipped(const GradientClipping& clipping, const Tensor& squared_norm) {
  return clipping.clipvalue <= 0 && !squared_norm.defined();
}

template <class Where>
void OptimizerKernels<Where>::sgd(const SgdStep& step, const GradientClipping& clipping,
                                  const Tensor& squared_norm, Tensor& value, const Tensor& grad,
                                  const Tensor& velocity) {
  dispatch_floating(value.dtype(), "sgd_step", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, value.numel(),
                   SgdBody<T>{T(step.learning_rate), T(step.momentum), step.nesterov,
                              clip_rule<T>(clipping, squared_norm), value.data<T>(), grad.data<T>(),
                              data_or_null<T>(velocity)});
  });
}

template <class Where>
void OptimizerKernels<Where>::rmsprop(const RmspropStep& step, const GradientClipping& clipping,
                                      const Tensor& squared_norm, Tensor& value, const Tensor& grad,
                                      const Tensor& rms, const Tensor& momentum,
                                      const Tensor& mean_grad) {
  const bool plain =
      !momentum.defined() && !mean_grad.defined() && unclipped(clipping, squared_norm);
  dispatch_floating(value.dtype(), "rmsprop_step", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto walk = [&](auto body) {
      body.learning_rate = T(step.learning_rate), body.rho = T(step.rho);
      body.momentum = T(step.momentum), body.epsilon = T(step.epsilon);
      body.clip = clip_rule<T>(clipping, squared_norm), body.value = value.data<T>();
      body.grad = grad.data<T>(), body.rms = rms.data<T>();
      body.momentum_slot = data_or_null<T>(momentum), body.mean_grad = data_or_null<T>(mean_grad);
      for_each_index(Where{}, value.numel(), body);
    };
    if (plain) {
      walk(RmspropBody<T, true>{});
    } else {
      walk(RmspropBody<T>{});
    }
  });
}

template <class Where>
void OptimizerKernels<Where>::adam(const AdamStep& step, const GradientClipping& clipping,
                                   const Tensor& squared_norm, Tensor& value, const Tensor& grad,
                                   const Tensor& m, const Tensor& v, const Tensor& vhat) {
  const double t = static_cast<double>(step.step);
  const double alpha = step.learning_rate * std::sqrt(1.0 - std::pow(step.beta_2, t)) /
                       (1.0 - std::pow(step.beta_1, t));
  const bool plain = !vhat.defined() && unclipped(clipping, squared_norm);
  dispatch_floating(value.dtype(), "adam_step", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto walk = [&](auto body) {
      body.alpha = T(alpha), body.beta_1 = T(step.beta_1), body.beta_2 = T(step.beta_2);
      body.epsilon = T(step.epsilon), body.clip = clip_rule<T>(clipping, squared_norm);
      body.value = value.data<T>(), body.grad = grad.data<T>(), body.m = m.data<T>();
      body.v = v.data<T>(), body.vhat = data_or_null<T>(vhat);
      for_each_index(Where{}, value.numel(), body);
    };
    if (plain) {
      walk(AdamBody<T, true>{});
    } else {
      walk(AdamBody<T>{});
    }
  });
}

}  // namespace cuseq::detail
