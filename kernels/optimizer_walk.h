// One source for the fused optimizer steps of both backends: a body from
// optimizer_math.h handed to for_each_index(Where{}, n, body). On the GPU that
// is one grid-stride kernel per parameter per step, each element read and
// written once (coalesced): a memory-bound pass.
#pragma once

#include <cmath>

#include "kernels/dtype_dispatch.h"
#include "kernels/optimizer_kernels.h"
#include "kernels/optimizer_math.h"

namespace cuseq::detail {

template <class T>
T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

template <class T>
ClipRule<T> clip_rule(const GradientClipping& clipping, const Tensor& squared_norm) {
  return ClipRule<T>{T(clipping.clipvalue), T(clipping.clipnorm), data_or_null<T>(squared_norm)};
}

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
