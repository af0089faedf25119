// cuseq::ops optimizer steps: argument checks, the clipnorm norm when asked
// for, then one fused kernel.
#include "cuseq/optimizer_ops.h"

#include <string>

#include "kernels/backend.h"
#include "kernels/optimizer.h"

namespace cuseq::ops {
namespace {

using detail::on_backend;
using detail::OptimizerKernels;

void check_floating_parameter(const std::string& op, const Tensor& value, const Tensor& grad) {
  check(value.defined() && grad.defined(), op, "value or grad is undefined");
  check(value.dtype() == DType::float32 || value.dtype() == DType::float64, op,
        "expected a float32 or float64 parameter, got ", value);
  check_dtype(grad, value.dtype(), op, "grad");
  check_shape(grad, value.shape(), op, "grad");
  check_same_device(grad, value, op);
}

// A slot the configuration uses must be defined and shaped like the parameter.
void check_slot(const std::string& op, const Tensor& slot, bool used, const Tensor& value,
                const std::string& name) {
  if (!used) return;
  check(slot.defined(), op, "slot \"", name, "\" is undefined but the configuration uses it");
  check_dtype(slot, value.dtype(), op, name);
  check_shape(slot, value.shape(), op, name);
  check_same_device(slot, value, op);
}

void check_clipping(const std::string& op, const GradientClipping& clipping) {
  check(clipping.clipnorm >= 0 && clipping.clipvalue >= 0, op,
        "expected clipnorm and clipvalue >= 0 (0 = off), got clipnorm ", clipping.clipnorm,
        ", clipvalue ", clipping.clipvalue);
}

// The squared norm clipnorm needs (undefined when clipnorm is off).
Tensor norm_for(const GradientClipping& clipping, const Tensor& grad) {
  return clipping.clipnorm > 0 ? clipped_squared_norm(grad, clipping.clipvalue) : Tensor();
}

const Tensor kUnused;

}  // namespace

Tensor clipped_squared_norm(const Tensor& grad, double clipvalue) {
  const std::string op = "clipped_squared_norm";
  check(grad.defined(), op, "grad is undefined");
  check(clipvalue >= 0, op, "expected clipvalue >= 0, got ", clipvalue);
  Tensor out = Tensor::empty(Shape{}, grad.dtype(), grad.device());
  on_backend(grad.device(), op, [&](auto where) {
    OptimizerKernels<decltype(where)>::clipped_squared_norm(grad, clipvalue, out);
  });
  return out;
}

void sgd_step(const SgdStep& step, const GradientClipping& clipping, Tensor& value,
              const Tensor& grad, Tensor& velocity) {
  const std::string op = "SGD";
  check_floating_parameter(op, value, grad);
  check_clipping(op, clipping);
  check(step.momentum >= 0 && step.momentum <= 1, op, "expected momentum in [0, 1], got ",
        step.momentum);
  const bool uses_velocity = step.momentum > 0;
  check_slot(op, velocity, uses_velocity, value, "momentum");
  const Tensor squared_norm = norm_for(clipping, grad);
  on_backend(value.device(), op, [&](auto where) {
    OptimizerKernels<decltype(where)>::sgd(step, clipping, squared_norm, value, grad,
                                           uses_velocity ? velocity : kUnused);
  });
}

void rmsprop_step(const RmspropStep& step, const GradientClipping& clipping, Tensor& value,
                  const Tensor& grad, Tensor& rms, Tensor& momentum, Tensor& mean_grad) {
  const std::string op = "RMSprop";
  check_floating_parameter(op, value, grad);
  check_clipping(op, clipping);
  check_slot(op, rms, true, value, "rms");
  check_slot(op, momentum, step.momentum > 0, value, "momentum");
  check_slot(op, mean_grad, step.centered, value, "mg");
  const Tensor squared_norm = norm_for(clipping, grad);
  on_backend(value.device(), op, [&](auto where) {
    OptimizerKernels<decltype(where)>::rmsprop(step, clipping, squared_norm, value, grad, rms,
                                               step.momentum > 0 ? momentum : kUnused,
                                               step.centered ? mean_grad : kUnused);
  });
}

void adam_step(const AdamStep& step, const GradientClipping& clipping, Tensor& value,
               const Tensor& grad, Tensor& m, Tensor& v, Tensor& vhat) {
  const std::string op = "Adam";
  check_floating_parameter(op, value, grad);
  check_clipping(op, clipping);
  check(step.step >= 1, op, "expected step >= 1 (the first update is step 1), got ", step.step);
  check_slot(op, m, true, value, "m");
  check_slot(op, v, true, value, "v");
  check_slot(op, vhat, step.amsgrad, value, "vhat");
  const Tensor squared_norm = norm_for(clipping, grad);
  on_backend(value.device(), op, [&](auto where) {
    OptimizerKernels<decltype(where)>::adam(step, clipping, squared_norm, value, grad, m, v,
                                            step.amsgrad ? vhat : kUnused);
  });
}

}  // namespace cuseq::ops
