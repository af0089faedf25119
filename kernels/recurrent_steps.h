// One source for the recurrent pointwise kernels of both backends: body
// functors over recurrent_cell_math.h walked by for_each_index(Where{}, ...)
// and, for the steps, for_each_sample_unit(Where{}, cell, batch, units, body).
// recurrent.cu and recurrent_cpu.cpp include this after their walkers and
// instantiate it.
#pragma once

#include <cstdint>

#include "kernels/dtype_dispatch.h"
#include "kernels/recurrent_kernels.h"

namespace cuseq::detail {

// One (sample, unit) of one step; `cell` and `real` (is_real(sample)) as
// for_each_sample_unit passes them.
template <class T, Activation kActivation, Activation kRecurrent>
struct ForwardStepBody {
  StepForward<T> step;
  template <class Cell>
  CUSEQ_HOST_DEVICE void operator()(Cell cell, std::int64_t sample, std::int64_t unit,
                                    bool real) const {
    forward_step_at<kActivation, kRecurrent>(step, sample, unit, cell, real);
  }
  CUSEQ_HOST_DEVICE bool is_real(std::int64_t sample) const {
    return step_is_real(step.step_mask, sample, step.steps, step.time);
  }
};

template <class T, Activation kActivation, Activation kRecurrent>
struct BackwardStepBody {
  StepBackward<T> step;
  template <class Cell>
  CUSEQ_HOST_DEVICE void operator()(Cell cell, std::int64_t sample, std::int64_t unit,
                                    bool real) const {
    backward_step_at<kActivation, kRecurrent>(step, sample, unit, cell, real);
  }
  CUSEQ_HOST_DEVICE bool is_real(std::int64_t sample) const {
    return step_is_real(step.step_mask, sample, step.steps, step.time);
  }
};

// Calls body(activation constant, recurrent activation constant).
template <class Body>
void with_cell_activations(Activation activation, Activation recurrent, Body&& body) {
  with_activation(activation,
                  [&](auto a) { with_activation(recurrent, [&](auto r) { body(a, r); }); });
}

template <class T>
struct SampleMaskBody {
  const T* x;
  const T* mask;
  std::int64_t steps, features;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    const std::int64_t sample = i / (steps * features), feature = i % features;
    out[i] = x[i] * mask[sample * features + feature];
  }
};

template <class Where>
template <class T>
void RecurrentKernels<Where>::forward_step(const StepForward<T>& step) {
  with_cell_activations(step.activation, step.recurrent_activation, [&](auto a, auto r) {
    for_each_sample_unit(Where{}, step.cell, step.batch, step.units,
                         ForwardStepBody<T, decltype(a)::value, decltype(r)::value>{step});
  });
}

template <class Where>
template <class T>
void RecurrentKernels<Where>::backward_step(const StepBackward<T>& step) {
  with_cell_activations(step.activation, step.recurrent_activation, [&](auto a, auto r) {
    for_each_sample_unit(Where{}, step.cell, step.batch, step.units,
                         BackwardStepBody<T, decltype(a)::value, decltype(r)::value>{step});
  });
}

template <class Where>
void RecurrentKernels<Where>::multiply_by_sample_mask(const Tensor& x, const Tensor& mask,
                                                      Tensor& out) {
  dispatch_floating(x.dtype(), "recurrent input dropout", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(
        Where{}, x.numel(),
        SampleMaskBody<T>{x.data<T>(), mask.data<T>(), x.dim(1), x.dim(2), out.data<T>()});
  });
}

}  // namespace cuseq::detail
