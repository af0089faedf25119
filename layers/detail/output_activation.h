// Keras' `activation` argument of Dense and Conv1D: applied in place to the
// layer's own output, and undone in backward from that output. Linear (the
// default) costs nothing either way.
#pragma once

#include "cuseq/ops.h"
#include "cuseq/tensor.h"

namespace cuseq::detail {

inline void activate_in_place(Activation activation, Tensor& output) {
  if (activation != Activation::linear) ops::activation_forward(activation, output, output);
}

// dL/d(pre-activation) from the activated output and dL/doutput of its shape.
inline Tensor grad_before_activation(Activation activation, const Tensor& output,
                                     const Tensor& grad_output) {
  if (activation == Activation::linear) return grad_output;
  Tensor grad = Tensor::empty(output.shape(), output.dtype(), output.device());
  ops::activation_backward(activation, output, grad_output, grad);
  return grad;
}

}  // namespace cuseq::detail
