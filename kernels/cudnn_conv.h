// cuDNN's forward convolution on cuseq tensors, for comparison with our
// kernels in tests and benchmarks (reached through ops::conv1d_forward_cudnn).
#pragma once

#include "cuseq/tensor.h"
#include "kernels/conv.h"

namespace cuseq::detail {

// Arguments as ConvKernels<Cuda>::forward; defined only in CUDA builds.
void cudnn_conv1d_forward(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                          const Geometry1d& g, Tensor& y);

}  // namespace cuseq::detail
