// 1-D convolution and pooling ops on channels-last tensors [batch, steps,
// channels], with Keras' padding rules. Like every op, outputs (and the
// gradients the backward ops add to) are passed in preallocated.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/export.h"
#include "cuseq/tensor.h"
#include "cuseq/window1d.h"

namespace cuseq {

// "valid", "same", "causal" (Padding and Window1d: cuseq/window1d.h); anything
// else is an error naming `where`.
CUSEQ_API Padding padding_from_name(const std::string& name, const std::string& where);
CUSEQ_API std::string padding_name(Padding padding);

namespace ops {

// y[b, t, f] = bias[f] + sum_{k, c} x[b, t*stride + k*dilation - pad_left, c] * kernel[k, c, f],
// reading zeros outside x. x [B, steps, C], kernel [window, C, F], bias [F] or
// undefined, y [B, output_steps, F].
CUSEQ_API void conv1d_forward(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                              const Window1d& window, Tensor& y);
// dx = dL/dx from dy = dL/dy (overwrites dx).
CUSEQ_API void conv1d_backward_input(const Tensor& dy, const Tensor& kernel, const Window1d& window,
                                     Tensor& dx);
// Adds dL/dkernel into dkernel and, when defined, dL/dbias into dbias.
// Deterministic: every element is summed by one thread in a fixed order.
CUSEQ_API void conv1d_backward_weights(const Tensor& x, const Tensor& dy, const Window1d& window,
                                       Tensor& dkernel, Tensor& dbias);

// The same forward convolution through cuDNN (cudnnConvolutionForward), for
// comparison in tests and benchmarks; GPU tensors only, CUDA builds only.
CUSEQ_API void conv1d_forward_cudnn(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                                    const Window1d& window, Tensor& y);

// Max pooling over windows (dilation 1) of each channel; padded steps never
// win. argmax (int32, y's shape) receives the input step of each maximum, the
// first one on ties, for the backward pass.
CUSEQ_API void max_pool1d_forward(const Tensor& x, const Window1d& window, Tensor& y,
                                  Tensor& argmax);
// dx[b, i, c] = sum of dy[b, t, c] over the windows t whose argmax is i (overwrites dx).
CUSEQ_API void max_pool1d_backward(const Tensor& dy, const Tensor& argmax, const Window1d& window,
                                   Tensor& dx);
// Average over the real (unpadded) steps of each window, as Keras/TensorFlow.
CUSEQ_API void average_pool1d_forward(const Tensor& x, const Window1d& window, Tensor& y);
CUSEQ_API void average_pool1d_backward(const Tensor& dy, const Window1d& window, Tensor& dx);

}  // namespace ops
}  // namespace cuseq
